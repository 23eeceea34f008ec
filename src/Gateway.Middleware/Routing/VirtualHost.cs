using Gateway.Middleware.Routing.Matching;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing;

/// <summary>
/// The rules bound to one host pattern of one server, in evaluation order (Envoy's virtual host: once a
/// request's host selects it, no other host's rules are tried). Istio rules keep declaration order;
/// Gateway API rules come after them, sorted by precedence. Selection goes through a path index, with the
/// result of trying every rule in order.
/// </summary>
internal sealed class VirtualHost
{
    private readonly Route[] _routes;
    private readonly RouteIndex _index;

    public VirtualHost(string name, string serverName, Route[] routes)
    {
        Name = name;
        ServerName = serverName;
        _routes = routes;
        _index = RouteIndex.Create(routes);
    }

    /// <summary>The host pattern (e.g. <c>*.example.com</c>).</summary>
    public string Name { get; }

    /// <summary>The server (Istio Gateway server, Gateway API listener) the virtual host belongs to.</summary>
    public string ServerName { get; }

    public ReadOnlySpan<Route> Routes => _routes;

    /// <summary>The first rule, in evaluation order, that matches the request; null when none does. Allocates nothing.</summary>
    public Route? Match(HttpContext context) => _index.Match(context);
}
