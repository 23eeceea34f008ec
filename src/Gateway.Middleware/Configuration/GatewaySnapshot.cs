using System.Collections.Frozen;
using Gateway.Middleware.Routing;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Configuration;

/// <summary>
/// One compiled, immutable configuration. Requests read the current snapshot once and finish on it even if
/// a reload swaps in another.
/// </summary>
internal sealed class GatewaySnapshot : IDisposable
{
    public GatewaySnapshot(RouteTable routes, FrozenDictionary<string, UpstreamCluster> upstreams)
    {
        Routes = routes;
        Upstreams = upstreams;
    }

    public RouteTable Routes { get; }

    public FrozenDictionary<string, UpstreamCluster> Upstreams { get; }

    public void Dispose()
    {
        foreach (var cluster in Upstreams.Values)
        {
            cluster.Dispose();
        }
    }
}
