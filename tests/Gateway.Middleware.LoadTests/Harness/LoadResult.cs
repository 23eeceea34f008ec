namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>One measured run of a load tool against one target.</summary>
internal sealed record LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, double CpuCores);
