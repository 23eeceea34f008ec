namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>HTTPFaultInjection</c>: a delay and/or an abort, each for a percentage of requests.</summary>
internal sealed record FaultConfig
{
    public TimeSpan? Delay { get; init; }

    /// <summary>Share of requests delayed, 0–100; default 100.</summary>
    public double DelayPercentage { get; init; } = 100;

    public int? AbortStatus { get; init; }

    /// <summary>Share of requests aborted, 0–100; default 100.</summary>
    public double AbortPercentage { get; init; } = 100;
}
