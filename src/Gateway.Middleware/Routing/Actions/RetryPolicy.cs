using System.Globalization;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>
/// A compiled retry policy (Istio <c>HTTPRetry</c>, translated as Istio translates it into an Envoy
/// <c>RetryPolicy</c>: <c>attempts</c> → <c>num_retries</c>, status codes in <c>retryOn</c> →
/// <c>retriable_status_codes</c>).
/// </summary>
internal sealed class RetryPolicy
{
    private readonly int[] _statusCodes;

    public RetryPolicy(RetryConfig config)
    {
        Config = config;
        MaxRetries = Math.Max(0, config.Attempts);
        PerTryTimeout = config.PerTryTimeout is { } perTry && perTry > TimeSpan.Zero ? perTry : null;

        var codes = new List<int>();
        foreach (var condition in config.RetryOn)
        {
            if (int.TryParse(condition, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                // Istio: "If retryOn specifies a valid HTTP status, it will be added to retriable_status_codes".
                codes.Add(code);
                Conditions |= RetryConditions.RetriableStatusCodes;
                continue;
            }

            Conditions |= Parse(condition);
        }

        _statusCodes = [.. codes];
    }

    /// <summary>Istio's default when a rule sets no retries: 2 retries on connect-failure and refused-stream.</summary>
    public static RetryPolicy IstioDefault { get; } = new(new RetryConfig());

    public RetryConfig Config { get; }

    /// <summary>Retries after the first try (Envoy <c>num_retries</c>); 0 disables retries.</summary>
    public int MaxRetries { get; }

    /// <summary>The timeout of each try, started as the route timeout is; <see langword="null"/> when unset.</summary>
    public TimeSpan? PerTryTimeout { get; }

    public RetryConditions Conditions { get; }

    /// <summary>The codes listed in <c>retryOn</c> (Envoy <c>retriable_status_codes</c>).</summary>
    public ReadOnlySpan<int> StatusCodes => _statusCodes;

    /// <summary>Whether any retry can happen at all.</summary>
    public bool IsEnabled => MaxRetries > 0 && Conditions != RetryConditions.None;

    /// <summary>Whether the policy holds one of <paramref name="conditions"/>.</summary>
    public bool RetriesOn(RetryConditions conditions) => (Conditions & conditions) != 0;

    /// <summary>
    /// Whether a response with this status is retried (Envoy <c>RetryStateImpl::wouldRetryFromHeaders</c>):
    /// <c>5xx</c> any 5xx, <c>gateway-error</c> 502/503/504, <c>retriable-4xx</c> 409, and the listed codes.
    /// </summary>
    public bool RetriesOnStatus(int status)
    {
        var conditions = Conditions;
        if ((conditions & RetryConditions.FiveXx) != 0 && status is >= 500 and <= 599)
        {
            return true;
        }

        if ((conditions & RetryConditions.GatewayError) != 0 && status is 502 or 503 or 504)
        {
            return true;
        }

        if ((conditions & RetryConditions.Retriable4xx) != 0 && status == 409)
        {
            return true;
        }

        if ((conditions & RetryConditions.RetriableStatusCodes) != 0)
        {
            foreach (var code in _statusCodes)
            {
                if (code == status)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static RetryConditions Parse(string condition) => condition switch
    {
        "connect-failure" => RetryConditions.ConnectFailure,
        "refused-stream" => RetryConditions.RefusedStream,
        "reset" => RetryConditions.Reset,
        "5xx" => RetryConditions.FiveXx,
        "gateway-error" => RetryConditions.GatewayError,
        "retriable-4xx" => RetryConditions.Retriable4xx,
        "retriable-status-codes" => RetryConditions.RetriableStatusCodes,
        "envoy-ratelimited" => RetryConditions.EnvoyRateLimited,
        "cancelled" => RetryConditions.GrpcCancelled,
        "deadline-exceeded" => RetryConditions.GrpcDeadlineExceeded,
        "resource-exhausted" => RetryConditions.GrpcResourceExhausted,
        "internal" => RetryConditions.GrpcInternal,
        "unavailable" => RetryConditions.GrpcUnavailable,
        // The validator rejects anything else before a policy is compiled.
        _ => RetryConditions.None,
    };
}
