using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Collects what the fluent API declares. Frozen the moment the gateway is built: adding to it afterwards
/// throws, so what runs is exactly what was validated.
/// </summary>
internal sealed class GatewayConfigBuilder
{
    private readonly List<RouteConfig> _routes = [];
    private readonly List<UpstreamConfig> _upstreams = [];
    private bool _frozen;

    public void AddRoute(RouteConfig route)
    {
        ThrowIfFrozen();
        _routes.Add(route);
    }

    public void AddUpstream(UpstreamConfig upstream)
    {
        ThrowIfFrozen();
        _upstreams.Add(upstream);
    }

    /// <summary>Freezes the builder and returns the model it describes.</summary>
    public GatewayConfig Build()
    {
        _frozen = true;
        return new GatewayConfig([.. _routes], [.. _upstreams]);
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("The gateway has already been built; routes and upstreams can no longer be added.");
        }
    }
}
