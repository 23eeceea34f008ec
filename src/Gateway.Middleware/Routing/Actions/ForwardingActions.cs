using Gateway.Middleware.Configuration;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>
/// The rule actions that shape a forwarded request and its response: rewrite, and header operations at
/// destination and rule level. Without them every method is a few null checks.
/// </summary>
/// <remarks>
/// Order (Envoy <c>WeightedClusterEntry::finalizeRequestHeaders</c>/<c>finalizeResponseHeaders</c>): the
/// destination's operations first, then the rule's, so on a conflict the rule's <c>set</c> wins; the
/// rewritten authority is applied last and wins over a <c>Host</c> header operation.
/// </remarks>
internal static class ForwardingActions
{
    /// <summary>The path to forward (not escaped): the request's, rewritten when the rule has a path rewrite.</summary>
    public static PathString RewritePath(HttpContext context, Route route)
    {
        var path = context.Request.Path;
        if (route.Action.Rewrite is not { RewritesPath: true } rewrite)
        {
            return path;
        }

        return new PathString(rewrite.RewritePath(path.Value ?? "/", MatchedPath(context, route), IsGatewayApi(route.Action)));
    }

    /// <summary>Applies header operations and the authority rewrite to the request sent upstream.</summary>
    public static void ApplyToRequest(HttpRequestMessage message, Route route, RouteDestination? destination)
    {
        var action = route.Action;
        destination?.RequestHeaders?.ApplyTo(message);
        action.RequestHeaders?.ApplyTo(message);
        if (action.Rewrite?.Authority is { } authority)
        {
            message.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.Host);
            message.Headers.TryAddWithoutValidation(Microsoft.Net.Http.Headers.HeaderNames.Host, authority);
        }
    }

    /// <summary>Applies response header operations to the client's response (before it starts).</summary>
    public static void ApplyToResponse(IHeaderDictionary headers, RouteAction action, RouteDestination? destination)
    {
        destination?.ResponseHeaders?.ApplyTo(headers);
        action.ResponseHeaders?.ApplyTo(headers);
    }

    /// <summary>The path condition of the match that selected the request: prefix replacement needs its length.</summary>
    public static StringMatcher? MatchedPath(HttpContext context, Route route)
    {
        var matches = route.MatchList;
        return matches.Length switch
        {
            0 => null,
            // The route matched, so its only match did.
            1 => matches[0].Path,
            _ => route.FindMatch(context)?.Path,
        };
    }

    public static bool IsGatewayApi(RouteAction action) => action.Ordering == RouteOrdering.GatewayApiPrecedence;
}
