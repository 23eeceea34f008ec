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
    private readonly List<ServerConfig> _servers = [];
    private readonly List<Authorization.AuthorizationPolicyConfig> _authorizationPolicies = [];
    private readonly List<Configuration.Sources.IGatewayConfigSource> _sources = [];
    private long _httpRoutes;
    private bool _frozen;

    public void AddRoute(RouteConfig route)
    {
        ThrowIfFrozen();
        _routes.Add(route);
    }

    public void AddServer(ServerConfig server)
    {
        ThrowIfFrozen();
        _servers.Add(server);
    }

    public void AddSource(Configuration.Sources.IGatewayConfigSource source)
    {
        ThrowIfFrozen();
        _sources.Add(source);
    }

    /// <summary>The sources merged with the declarations at every (re)load.</summary>
    public IReadOnlyList<Configuration.Sources.IGatewayConfigSource> Sources => _sources;

    /// <summary>The creation order of the next HTTPRoute (the oldest wins Gateway API precedence ties).</summary>
    public long NextHttpRouteOrder() => _httpRoutes++;

    public void AddUpstream(UpstreamConfig upstream)
    {
        ThrowIfFrozen();
        _upstreams.Add(upstream);
    }

    public void AddAuthorizationPolicy(Authorization.AuthorizationPolicyConfig policy)
    {
        ThrowIfFrozen();
        _authorizationPolicies.Add(policy);
    }

    /// <summary>Freezes the builder and returns the model it describes.</summary>
    public GatewayConfig Build()
    {
        _frozen = true;
        return new GatewayConfig([.. _routes], [.. _upstreams]) { Servers = [.. _servers], AuthorizationPolicies = [.. _authorizationPolicies] };
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("The gateway has already been built; routes and upstreams can no longer be added.");
        }
    }
}
