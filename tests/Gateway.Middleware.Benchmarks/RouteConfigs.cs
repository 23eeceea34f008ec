using System.Globalization;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Benchmarks;

/// <summary>The configurations the benchmarks compile: Istio rules <c>prefix: /svcNNNN</c>, one upstream.</summary>
internal static class RouteConfigs
{
    public static string HostName(int host) => $"host{host.ToString("D3", CultureInfo.InvariantCulture)}.example.com";

    public static string RuleName(int rule) => "svc" + rule.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary><paramref name="rules"/> rules spread round-robin over <paramref name="hosts"/> hosts.</summary>
    public static GatewayConfig Istio(int rules, int hosts)
    {
        var routes = new List<RouteConfig>(rules);
        for (var i = 0; i < rules; i++)
        {
            routes.Add(new RouteConfig
            {
                Name = RuleName(i),
                Hosts = [HostName(i % hosts)],
                Matches = [new RouteMatchConfig { Path = new StringMatchConfig(StringMatchKind.Prefix, "/" + RuleName(i)) }],
                Destinations = [new DestinationConfig("up", 100)],
            });
        }

        return new GatewayConfig(routes, [new UpstreamConfig { Name = "up", Endpoints = [new EndpointConfig("http://127.0.0.1:1")] }]);
    }

    /// <summary>Gateway API rules on one host: <c>PathPrefix /svcNNNN</c>, every fourth also matching a header.</summary>
    public static GatewayConfig GatewayApi(int rules)
    {
        var routes = new List<RouteConfig>(rules);
        for (var i = 0; i < rules; i++)
        {
            routes.Add(new RouteConfig
            {
                Name = RuleName(i),
                Hosts = [HostName(0)],
                Ordering = RouteOrdering.GatewayApiPrecedence,
                GatewayApi = new GatewayApiRouteIdentity(0, "default/bench", i),
                Matches =
                [
                    new RouteMatchConfig
                    {
                        Path = new StringMatchConfig(StringMatchKind.SegmentPrefix, "/" + RuleName(i)),
                        Headers = i % 4 == 0 ? [new NamedMatchConfig("x-version", new StringMatchConfig(StringMatchKind.Exact, "v1"))] : [],
                    },
                ],
                Destinations = [new DestinationConfig("up", 1)],
            });
        }

        return new GatewayConfig(routes, [new UpstreamConfig { Name = "up", Endpoints = [new EndpointConfig("http://127.0.0.1:1")] }]);
    }
}
