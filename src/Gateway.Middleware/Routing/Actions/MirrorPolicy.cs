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

    /// <summary>0 to 100 (Istio <c>mirrorPercentage</c>; 100 when only <c>mirror</c> is set).</summary>
    public double Percentage { get; }

    /// <summary>Whether this request is mirrored: drawn per request, as Envoy's <c>runtime_fraction</c>.</summary>
    public bool ShouldMirror()
        => Percentage >= 100 || (Percentage > 0 && Random.Shared.NextDouble() * 100 < Percentage);
}
