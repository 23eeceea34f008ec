using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing;

/// <summary>
/// The routes bound to one host pattern, in evaluation order (Envoy's virtual host: once a request's host
/// selects it, no other host's routes are tried).
/// </summary>
internal sealed class VirtualHost
{
    private readonly Route[] _routes;

    public VirtualHost(string name, Route[] routes)
    {
        Name = name;
        _routes = routes;
    }

    public string Name { get; }

    public Route? Match(HttpRequest request)
    {
        foreach (var route in _routes)
        {
            if (route.Matches(request))
            {
                return route;
            }
        }

        return null;
    }
}
