using System.Globalization;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// Route selection (host lookup, then the rule of that host) allocates nothing per request, with 1,000 rules
/// on one host and with 1,000 rules over 100 hosts (issue #3, "Performance"). Timing is measured by
/// tests/Gateway.Middleware.Benchmarks, not here.
/// </summary>
public sealed class RouteSelectionAllocationTests
{
    [Theory]
    [InlineData(1, "/svc0000/items", "svc0000")] // first rule
    [InlineData(1, "/svc0999/items", "svc0999")] // last of 1,000 rules on one host
    [InlineData(1, "/svc0500", "svc0500")]
    [InlineData(1, "/nothing", null)]
    [InlineData(100, "/svc0999/items", "svc0999")]
    public void SelectRoute_1000Rules_ZeroBytesAllocated(int hosts, string path, string? expected)
    {
        using var snapshot = GatewayConfigCompiler.Compile(Config(1000, hosts));
        var table = snapshot.Servers.ForPort(0);
        var host = $"host{(hosts - 1).ToString("D3", CultureInfo.InvariantCulture)}.example.com";
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Host = new HostString(host);
        context.Request.Path = path;

        var route = Select(table, context);
        Assert.Equal(expected, route?.Name);
        for (var i = 0; i < 1000; i++)
        {
            Select(table, context);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Select(table, context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static Route? Select(RouteTable table, HttpContext context)
        => table.MatchHost(context.Request.Host.Value)?.Match(context);

    /// <summary>Istio rules <c>prefix: /svcNNNN</c> to one upstream, spread round-robin over <paramref name="hosts"/> hosts.</summary>
    internal static GatewayConfig Config(int rules, int hosts)
    {
        var routes = new List<RouteConfig>(rules);
        for (var i = 0; i < rules; i++)
        {
            var name = "svc" + i.ToString("D4", CultureInfo.InvariantCulture);
            routes.Add(new RouteConfig
            {
                Name = name,
                Hosts = [$"host{(hosts == 1 ? 0 : i % hosts).ToString("D3", CultureInfo.InvariantCulture)}.example.com"],
                Matches = [new RouteMatchConfig { Path = new StringMatchConfig(StringMatchKind.Prefix, "/" + name) }],
                Destinations = [new DestinationConfig("up", 100)],
            });
        }

        return new GatewayConfig(routes, [new UpstreamConfig { Name = "up", Endpoints = [new EndpointConfig("http://127.0.0.1:1")] }]);
    }
}
