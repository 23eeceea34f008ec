using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>A compiled retry policy (Istio <c>HTTPRetry</c>).</summary>
internal sealed class RetryPolicy
{
    public RetryPolicy(RetryConfig config)
    {
        Config = config;
    }

    /// <summary>Istio's default when a rule sets no retries: 2 retries on connect-failure and refused-stream.</summary>
    public static RetryPolicy IstioDefault { get; } = new(new RetryConfig());

    public RetryConfig Config { get; }
}
