using System.Diagnostics.Metrics;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Diagnostics;

internal sealed partial class GatewayMetrics
{
    /// <summary>
    /// Publishes per-cluster gauges read from the current snapshot when a collector asks (observable instruments:
    /// the request path only keeps the counters it keeps anyway). Called once by the configuration provider.
    /// </summary>
    public void ObserveUpstreams(Func<GatewaySnapshot> current)
    {
        _meter.CreateObservableUpDownCounter(
            ActiveRequestsName,
            () => Observe(current(), static cluster => cluster.ActiveRequests),
            "{request}",
            "Requests (tries) in flight to a cluster's endpoints (Envoy upstream_rq_active).");
        _meter.CreateObservableUpDownCounter(
            PendingRequestsName,
            () => Observe(current(), static cluster => cluster.CircuitBreaker.PendingRequests),
            "{request}",
            "Requests admitted by the circuit breaker beyond maxConnections, waiting for a connection (Envoy upstream_rq_pending_active).");
        _meter.CreateObservableUpDownCounter(
            OpenConnectionsName,
            () => Observe(current(), static cluster => cluster.Connections.Open),
            "{connection}",
            "Upstream connections open in a cluster's connection pool (Envoy upstream_cx_active); clusters sharing a pool report the same connections.");
    }

    private static List<Measurement<long>> Observe(GatewaySnapshot snapshot, Func<UpstreamCluster, long> read)
    {
        var clusters = snapshot.Clusters;
        var measurements = new List<Measurement<long>>(clusters.Count);
        foreach (var cluster in clusters)
        {
            measurements.Add(new Measurement<long>(read(cluster), new KeyValuePair<string, object?>(MetricTags.Cluster, cluster.Name)));
        }

        return measurements;
    }
}
