using Gateway.Middleware.Routing.Actions;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// One request's retry bookkeeping under a <see cref="RetryPolicy"/>: the retries left, which outcomes
/// are retried (Envoy <c>RetryStateImpl::wouldRetryFromReset</c> / <c>wouldRetryFromHeaders</c>) and the
/// backoff before each retry. A mutable struct kept in the forwarder's state machine: no allocation.
/// </summary>
internal struct RetryState
{
    // Envoy's default retry backoff: base interval 25 ms, max interval 10 × base.
    private const int BaseIntervalMs = 25;
    private const int MaxIntervalMs = 250;

    // Istio sets host_selection_retry_max_attempts: 5 with the previous_hosts predicate.
    private const int HostSelectionAttempts = 5;

    // Every failure before response headers counts as a "5xx" for Envoy ("we count an upstream reset as a
    // 5xx since it will result in one"), and as a reset.
    private const RetryConditions AnyReset = RetryConditions.Reset | RetryConditions.FiveXx | RetryConditions.GatewayError;

    private readonly RetryPolicy _policy;
    private int _retriesLeft;
    private int _nextIntervalMs;

    public RetryState(RetryPolicy policy)
    {
        _policy = policy;
        _retriesLeft = policy.IsEnabled ? policy.MaxRetries : 0;
        _nextIntervalMs = BaseIntervalMs;
    }

    /// <summary>Retries done so far.</summary>
    public readonly int Retries => _policy.MaxRetries - _retriesLeft;

    /// <summary>Whether a try that failed before response headers is retried (retries left aside from the body).</summary>
    public readonly bool ShouldRetry(GatewayForwarderError error, bool refusedStream)
        => _retriesLeft > 0 && IsRetriable(error, refusedStream);

    /// <summary>
    /// Whether the policy retries this failure but no retry is left: Envoy's <c>NoRetryLimitExceeded</c>, logged
    /// as the response flag URX (upstream retry limit exceeded).
    /// </summary>
    public readonly bool LimitExceeded(GatewayForwarderError error, bool refusedStream)
        => _retriesLeft == 0 && _policy.IsEnabled && IsRetriable(error, refusedStream);

    /// <summary>Whether the policy retries a per-try timeout but no retry is left (UT,URX).</summary>
    public readonly bool PerTryTimeoutLimitExceeded() => _retriesLeft == 0 && _policy.IsEnabled && _policy.RetriesOn(AnyReset);

    /// <summary>Whether the policy retries this response but no retry is left (URX).</summary>
    public readonly bool LimitExceeded(HttpResponseMessage response)
        => _retriesLeft == 0 && _policy.IsEnabled && new RetryState(_policy).ShouldRetry(response);

    private readonly bool IsRetriable(GatewayForwarderError error, bool refusedStream)
    {
        var conditions = error switch
        {
            // Envoy reports a failed TLS handshake as a connection failure (UF).
            GatewayForwarderError.ConnectionFailure or GatewayForwarderError.TlsFailure => RetryConditions.ConnectFailure | AnyReset,
            GatewayForwarderError.UpstreamReset when refusedStream => RetryConditions.RefusedStream | AnyReset,
            GatewayForwarderError.UpstreamReset or GatewayForwarderError.RequestBodyUpstream => AnyReset,
            // Client errors, client aborts and the route timeout are never retried.
            _ => RetryConditions.None,
        };
        return _policy.RetriesOn(conditions);
    }

    /// <summary>
    /// Whether a try that hit the per-try timeout is retried: Envoy resets it locally and retries when the
    /// policy has <c>5xx</c>, <c>gateway-error</c> or <c>reset</c>.
    /// </summary>
    public readonly bool ShouldRetryPerTryTimeout() => _retriesLeft > 0 && _policy.RetriesOn(AnyReset);

    /// <summary>Whether a response is retried instead of forwarded.</summary>
    public readonly bool ShouldRetry(HttpResponseMessage response)
    {
        if (_retriesLeft == 0)
        {
            return false;
        }

        // A rate-limit answer from an upstream Envoy is retried only under envoy-ratelimited (Envoy).
        if (response.Headers.NonValidated.Contains("x-envoy-ratelimited"))
        {
            return _policy.RetriesOn(RetryConditions.EnvoyRateLimited);
        }

        if (_policy.RetriesOnStatus((int)response.StatusCode))
        {
            return true;
        }

        return _policy.RetriesOn(RetryConditions.AnyGrpc) && RetriesOnGrpcStatus(response);
    }

    /// <summary>
    /// Takes one retry and returns its backoff: Envoy's fully jittered exponential backoff, a random wait
    /// below 25 ms, then below 50, 100, 200 and 250 ms (<c>JitteredExponentialBackOffStrategy</c>).
    /// </summary>
    public TimeSpan TakeRetry()
    {
        _retriesLeft--;
        var interval = _nextIntervalMs;
        _nextIntervalMs = interval < MaxIntervalMs / 2 ? interval * 2 : MaxIntervalMs;
        return TimeSpan.FromMilliseconds(Random.Shared.Next(interval));
    }

    /// <summary>
    /// The endpoint index for the next try: the load balancer's next choice, avoiding the one that just failed
    /// when there is another (Istio's <c>previous_hosts</c> retry predicate, up to 5 selections); a consistent
    /// hash moves on along its ring with each <paramref name="attempt"/>. -1 when no endpoint is eligible.
    /// </summary>
    public static int PickNextEndpoint(UpstreamCluster cluster, int previous, ulong? hash, int attempt)
    {
        var next = cluster.PickEndpointIndex(hash, attempt);
        for (var i = 1; i < HostSelectionAttempts && next == previous && cluster.Endpoints.Length > 1; i++)
        {
            next = cluster.PickEndpointIndex(hash, attempt + i);
        }

        return next;
    }

    private readonly bool RetriesOnGrpcStatus(HttpResponseMessage response)
    {
        // A trailers-only gRPC answer carries grpc-status in its headers, where Envoy looks for it.
        if (!response.Headers.NonValidated.TryGetValues("grpc-status", out var values)
            || !int.TryParse(values.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status))
        {
            return false;
        }

        var condition = status switch
        {
            1 => RetryConditions.GrpcCancelled,
            4 => RetryConditions.GrpcDeadlineExceeded,
            8 => RetryConditions.GrpcResourceExhausted,
            13 => RetryConditions.GrpcInternal,
            14 => RetryConditions.GrpcUnavailable,
            _ => RetryConditions.None,
        };
        return _policy.RetriesOn(condition);
    }
}
