using System.Collections.Frozen;
using Gateway.Middleware.Hosts;
using Gateway.Middleware.Routing;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Configuration;

/// <summary>Turns a validated <see cref="GatewayConfig"/> into an immutable <see cref="GatewaySnapshot"/>.</summary>
internal static class GatewayConfigCompiler
{
    /// <summary>Validates and compiles; throws <see cref="GatewayConfigurationException"/> listing every error.</summary>
    public static GatewaySnapshot Compile(GatewayConfig config)
    {
        var errors = GatewayConfigValidator.Validate(config);
        if (errors.Count > 0)
        {
            throw new GatewayConfigurationException(errors);
        }

        var clusters = new Dictionary<string, UpstreamCluster>(StringComparer.OrdinalIgnoreCase);
        foreach (var upstream in config.Upstreams)
        {
            var endpoints = new UpstreamEndpoint[upstream.Endpoints.Count];
            for (var i = 0; i < endpoints.Length; i++)
            {
                _ = GatewayConfigValidator.TryParseEndpoint(upstream.Endpoints[i], out var address, out _);
                endpoints[i] = new UpstreamEndpoint(address!);
            }

            clusters[upstream.Name] = new UpstreamCluster(upstream.Name, endpoints, upstream.Protocol, UpstreamHandlerFactory.Create(upstream));
        }

        // Group routes by host pattern, keeping declaration order inside each host (first match wins).
        var byHost = new Dictionary<HostPattern, List<Route>>();
        var hostOrder = new List<HostPattern>();
        foreach (var routeConfig in config.Routes)
        {
            var route = CompileRoute(routeConfig, clusters);
            var hosts = routeConfig.Hosts.Count == 0 ? ["*"] : routeConfig.Hosts;
            foreach (var hostText in hosts)
            {
                _ = HostPattern.TryParse(hostText, out var host, out _);
                if (!byHost.TryGetValue(host, out var list))
                {
                    byHost[host] = list = [];
                    hostOrder.Add(host);
                }

                if (!list.Contains(route))
                {
                    list.Add(route);
                }
            }
        }

        var exact = new Dictionary<string, VirtualHost>(StringComparer.OrdinalIgnoreCase);
        var suffixes = new List<(string, VirtualHost)>();
        VirtualHost? any = null;
        foreach (var host in hostOrder)
        {
            var virtualHost = new VirtualHost(host.ToString(), [.. byHost[host]]);
            switch (host.Kind)
            {
                case HostPatternKind.Exact:
                    exact[host.Value] = virtualHost;
                    break;
                case HostPatternKind.Suffix:
                    suffixes.Add((host.Value, virtualHost));
                    break;
                default:
                    any = virtualHost;
                    break;
            }
        }

        // The longer wildcard is the more specific one.
        suffixes.Sort(static (a, b) => b.Item1.Length.CompareTo(a.Item1.Length));
        var table = new RouteTable(exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), [.. suffixes], any);
        return new GatewaySnapshot(table, clusters.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }

    private static Route CompileRoute(RouteConfig config, Dictionary<string, UpstreamCluster> clusters)
    {
        var matches = new RouteMatch[config.Matches.Count];
        for (var i = 0; i < matches.Length; i++)
        {
            matches[i] = new RouteMatch(config.Matches[i].PathPrefix);
        }

        var destinations = new RouteDestination[config.Destinations.Count];
        for (var i = 0; i < destinations.Length; i++)
        {
            var destination = config.Destinations[i];
            destinations[i] = new RouteDestination(clusters[destination.Upstream], destination.Weight);
        }

        var timeout = config.Timeout is { } t && t > TimeSpan.Zero ? t : (TimeSpan?)null;
        return new Route(config.Name, matches, destinations, timeout);
    }
}
