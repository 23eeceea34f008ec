using Gateway.Middleware.Routing.Actions;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Routing;

/// <summary>A weighted destination of a compiled rule: the cluster (service, subset, port) and its own header operations.</summary>
internal sealed class RouteDestination
{
    public RouteDestination(UpstreamCluster cluster, int weight)
    {
        Cluster = cluster;
        Weight = weight;
    }

    public UpstreamCluster Cluster { get; }

    public int Weight { get; }

    public HeaderOperations? RequestHeaders { get; init; }

    public HeaderOperations? ResponseHeaders { get; init; }
}
