using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Routing;

/// <summary>A weighted destination of a compiled route.</summary>
internal sealed class RouteDestination
{
    public RouteDestination(UpstreamCluster cluster, int weight)
    {
        Cluster = cluster;
        Weight = weight;
    }

    public UpstreamCluster Cluster { get; }

    public int Weight { get; }
}
