namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>One measured run of a load tool against one target.</summary>
internal sealed record LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, double CpuCores)
{
    /// <summary>The slowest request (wrk's Latency Max; NaN for h2load).</summary>
    public double MaxMs { get; init; } = double.NaN;
}
