using Gateway.Middleware.Routing;
using Gateway.Middleware.Routing.Actions;

namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigCompiler
{
    /// <summary>A compiled rule with what binding needs: its config and its routes (one per match for Gateway API).</summary>
    private sealed record CompiledRule(RouteConfig Config, Route[] Routes);

    private static List<CompiledRule> CompileRoutes(GatewayConfig config, ClusterFactory clusters)
    {
        var rules = new List<CompiledRule>(config.Routes.Count);
        foreach (var route in config.Routes)
        {
            var action = CompileAction(route, clusters);
            var matches = new RouteMatch[route.Matches.Count];
            for (var i = 0; i < matches.Length; i++)
            {
                matches[i] = new RouteMatch(route.Matches[i]);
            }

            Route[] compiled;
            if (route.Ordering == RouteOrdering.GatewayApiPrecedence && matches.Length > 1)
            {
                // Each match of a Gateway API rule is ranked on its own.
                compiled = new Route[matches.Length];
                for (var i = 0; i < matches.Length; i++)
                {
                    compiled[i] = new Route([matches[i]], action) { GatewayApiOrder = route.GatewayApi!, MatchIndex = i };
                }
            }
            else
            {
                compiled = [new Route(matches, action) { GatewayApiOrder = route.GatewayApi ?? new(0, "", 0) }];
            }

            rules.Add(new CompiledRule(route, compiled));
        }

        return rules;
    }

    private static RouteAction CompileAction(RouteConfig route, ClusterFactory clusters)
    {
        var destinations = new RouteDestination[route.Destinations.Count];
        for (var i = 0; i < destinations.Length; i++)
        {
            var destination = route.Destinations[i];
            destinations[i] = new RouteDestination(clusters.Get(destination), destination.Weight)
            {
                RequestHeaders = Compile(destination.RequestHeaders),
                ResponseHeaders = Compile(destination.ResponseHeaders),
            };
        }

        var mirrors = new MirrorPolicy[route.Mirrors.Count];
        for (var i = 0; i < mirrors.Length; i++)
        {
            mirrors[i] = new MirrorPolicy(clusters.Get(route.Mirrors[i].Destination), route.Mirrors[i].Percentage);
        }

        return new RouteAction(route.Name, destinations)
        {
            Source = route.Source,
            Ordering = route.Ordering,
            Timeout = route.Timeout is { } t && t > TimeSpan.Zero ? t : null,
            Redirect = route.Redirect is null ? null : new RedirectAction(route.Redirect),
            DirectResponse = route.DirectResponse is null ? null : new DirectResponseAction(route.DirectResponse),
            Rewrite = route.Rewrite is null ? null : new RewriteAction(route.Rewrite),
            RequestHeaders = Compile(route.RequestHeaders),
            ResponseHeaders = Compile(route.ResponseHeaders),
            Fault = route.Fault is null ? null : new FaultAction(route.Fault),
            Retry = route.Retries is null ? RetryPolicy.IstioDefault : new RetryPolicy(route.Retries),
            Mirrors = mirrors,
            Cors = route.Cors is null ? null : new CorsPolicy(route.Cors) { ForwardUnmatchedPreflights = route.Cors.ForwardUnmatchedPreflights },
        };
    }

    private static HeaderOperations? Compile(HeaderOperationsConfig? config) => config is null ? null : new HeaderOperations(config);
}
