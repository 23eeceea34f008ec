namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>HTTPRetry</c>.</summary>
internal sealed record RetryConfig
{
    /// <summary>Retries after the first attempt; 0 disables retries.</summary>
    public int Attempts { get; init; } = 2;

    public TimeSpan? PerTryTimeout { get; init; }

    /// <summary>Envoy <c>retry_on</c> conditions: <c>5xx</c>, <c>gateway-error</c>, <c>connect-failure</c>, <c>refused-stream</c>, <c>retriable-4xx</c>, <c>reset</c> or status codes.</summary>
    public IReadOnlyList<string> RetryOn { get; init; } = ["connect-failure", "refused-stream"];
}
