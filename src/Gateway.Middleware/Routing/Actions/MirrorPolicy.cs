using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>A compiled mirror: the cluster copies go to and the share of requests mirrored.</summary>
internal sealed class MirrorPolicy
{
    public MirrorPolicy(UpstreamCluster cluster, double percentage)
    {
        Cluster = cluster;
        Percentage = percentage;
    }

    public UpstreamCluster Cluster { get; }

    public double Percentage { get; }
}
