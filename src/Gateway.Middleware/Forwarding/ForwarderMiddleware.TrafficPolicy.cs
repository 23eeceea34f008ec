using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Forwarding;

internal sealed partial class ForwarderMiddleware
{
    /// <summary>
    /// Reports a try that failed before response headers to outlier detection: connect, TLS and upstream failures
    /// count as 503 and timeouts as 504 (Envoy's local-origin errors); the client's own failures do not count.
    /// </summary>
    private static void ReportFailure(UpstreamCluster cluster, int index, GatewayForwarderError error)
    {
        switch (error)
        {
            case GatewayForwarderError.ConnectionFailure:
            case GatewayForwarderError.TlsFailure:
            case GatewayForwarderError.UpstreamReset:
            case GatewayForwarderError.RequestBodyUpstream:
                cluster.ReportLocalFailure(index, timeout: false);
                break;
            case GatewayForwarderError.RouteTimeout:
                cluster.ReportLocalFailure(index, timeout: true);
                break;
        }
    }

    /// <summary>
    /// Admits a retry under the cluster's <c>maxRetries</c> (outstanding retries): the previous retry of this
    /// request has ended, so its slot is given back first. A retry beyond the limit is not attempted (Envoy).
    /// </summary>
    private static bool AdmitRetry(UpstreamCluster cluster, ref bool admitted)
    {
        if (admitted)
        {
            cluster.CircuitBreaker.ReleaseRetry();
            admitted = false;
        }

        if (!cluster.CircuitBreaker.TryAcquireRetry())
        {
            TrafficPolicyLog.RetryOverflow(cluster.Logger, cluster.Name);
            return false;
        }

        admitted = true;
        return true;
    }
}
