using Gateway.Middleware.Routing.Actions;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing;

/// <summary>
/// A compiled, immutable routing rule: its matches and what it does. A Gateway API rule with several
/// matches compiles to one <see cref="Route"/> per match (each is ranked on its own), sharing one
/// <see cref="RouteAction"/>.
/// </summary>
internal sealed class Route
{
    private readonly RouteMatch[] _matches;

    public Route(RouteMatch[] matches, RouteAction action)
    {
        _matches = matches;
        Action = action;
    }

    /// <summary>Gateway API tie-breakers (oldest route, name, rule index); unused for Istio rules.</summary>
    public Configuration.GatewayApiRouteIdentity GatewayApiOrder { get; init; } = new(0, "", 0);

    /// <summary>The index of this route's match in its Gateway API rule.</summary>
    public int MatchIndex { get; init; }

    public string Name => Action.Name;

    public RouteAction Action { get; }

    /// <summary>Timeout from the end of the request to the end of the response; <see langword="null"/> when disabled.</summary>
    public TimeSpan? Timeout => Action.Timeout;

    public ReadOnlySpan<RouteMatch> MatchList => _matches;

    public bool Matches(HttpContext context)
    {
        if (_matches.Length == 0)
        {
            return true;
        }

        foreach (var match in _matches)
        {
            if (match.Matches(context))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The match that selected the request (needed by prefix rewrites and redirects), or null.</summary>
    public RouteMatch? FindMatch(HttpContext context)
    {
        foreach (var match in _matches)
        {
            if (match.Matches(context))
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>Picks a destination by weight (Istio splits traffic per request, at random); null when the rule has none.</summary>
    public RouteDestination? PickDestination() => Action.PickDestination();
}
