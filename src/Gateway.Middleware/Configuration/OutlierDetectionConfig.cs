namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>OutlierDetection</c>, with Istio's defaults.</summary>
internal sealed record OutlierDetectionConfig
{
    /// <summary>Consecutive 5xx (and connect failures) before ejection; 0 disables. Istio default 5.</summary>
    public int Consecutive5xxErrors { get; init; } = 5;

    /// <summary>Consecutive 502/503/504 (and connect failures) before ejection; 0 (default) disables.</summary>
    public int ConsecutiveGatewayErrors { get; init; }

    /// <summary>Time between ejection sweeps. Istio default 10 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Minimum ejection time, multiplied by how many times the endpoint was ejected. Istio default 30 s.</summary>
    public TimeSpan BaseEjectionTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most endpoints of the pool that may be ejected, in percent (at least one). Istio default 10.</summary>
    public int MaxEjectionPercent { get; init; } = 10;

    /// <summary>Ejection only while at least this % of endpoints is healthy; 0 (default) always.</summary>
    public int MinHealthPercent { get; init; }
}
