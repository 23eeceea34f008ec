using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing;

/// <summary>A compiled Istio <c>HTTPMatchRequest</c>: every condition that is set must hold.</summary>
internal sealed class RouteMatch
{
    private readonly string? _pathPrefix;

    public RouteMatch(string? pathPrefix)
    {
        _pathPrefix = pathPrefix;
    }

    public bool Matches(HttpRequest request)
    {
        if (_pathPrefix is not null)
        {
            // Istio's uri.prefix is a plain string prefix: "/v2" matches "/v2example".
            var path = request.Path.Value ?? "/";
            if (!path.StartsWith(_pathPrefix, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
