using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Upstreams;

/// <summary>Logs of load balancing, outlier detection and circuit breaking (event ids 850-869).</summary>
internal static partial class TrafficPolicyLog
{
    [LoggerMessage(EventIds.EndpointEjected, LogLevel.Warning, "Outlier detection ejected endpoint {Endpoint} of cluster {Cluster} for {EjectionTime} after {Errors} consecutive {Kind} (ejection {Ejections}).")]
    public static partial void EndpointEjected(ILogger logger, string endpoint, string cluster, TimeSpan ejectionTime, int errors, string kind, int ejections);

    [LoggerMessage(EventIds.EndpointReadmitted, LogLevel.Information, "Outlier detection readmitted endpoint {Endpoint} of cluster {Cluster}.")]
    public static partial void EndpointReadmitted(ILogger logger, string endpoint, string cluster);

    [LoggerMessage(EventIds.EjectionOverMaxPercent, LogLevel.Warning, "Outlier detection did not eject endpoint {Endpoint} of cluster {Cluster} after {Errors} consecutive {Kind}: {Ejected} of {Endpoints} endpoints are ejected already (maxEjectionPercent {MaxEjectionPercent}).")]
    public static partial void EjectionOverMaxPercent(ILogger logger, string endpoint, string cluster, int errors, string kind, int ejected, int endpoints, int maxEjectionPercent);

    [LoggerMessage(EventIds.CircuitBreakerOverflow, LogLevel.Debug, "Circuit breaker of cluster {Cluster} open: request answered 503 overflow.")]
    public static partial void CircuitBreakerOverflow(ILogger logger, string cluster);

    [LoggerMessage(EventIds.RetryOverflow, LogLevel.Debug, "Circuit breaker of cluster {Cluster}: maxRetries outstanding, retry not attempted.")]
    public static partial void RetryOverflow(ILogger logger, string cluster);
}
