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
        Assert.Equal(0, MinimumBytesAllocated(table, context));
    }

    [Theory]
    [InlineData("/static/app.js", "", "regex")]
    [InlineData("/API/Orders", "", "ignore-case")]
    [InlineData("/orders", "x-version:v2", "header")]
    [InlineData("/orders?animal=whale&x=1", "", "query")]
    [InlineData("/orders", "", "catch-all")]
    public void SelectRoute_RegexHeaderQueryIgnoreCase_ZeroBytesAllocated(string pathAndQuery, string header, string expected)
    {
        var routes = new List<RouteConfig>();
        for (var i = 0; i < 200; i++)
        {
            routes.Add(Rule($"filler{i}", new RouteMatchConfig { Path = new StringMatchConfig(StringMatchKind.Prefix, $"/filler{i}") }));
        }

        routes.Add(Rule("regex", new RouteMatchConfig { Path = new StringMatchConfig(StringMatchKind.Regex, "/static/(?P<file>[a-z]+)\\.js") }));
        routes.Add(Rule("ignore-case", new RouteMatchConfig { Path = new StringMatchConfig(StringMatchKind.Prefix, "/api/orders"), IgnoreUriCase = true }));
        routes.Add(Rule("header", new RouteMatchConfig { Method = new StringMatchConfig(StringMatchKind.Exact, "GET"), Headers = [new NamedMatchConfig("x-version", new StringMatchConfig(StringMatchKind.Regex, "v[0-9]"))] }));
        routes.Add(Rule("query", new RouteMatchConfig { QueryParams = [new NamedMatchConfig("animal", new StringMatchConfig(StringMatchKind.Exact, "whale"))] }));
        routes.Add(Rule("catch-all"));
        using var snapshot = GatewayConfigCompiler.Compile(new GatewayConfig(routes, [new UpstreamConfig { Name = "up", Endpoints = [new EndpointConfig("http://127.0.0.1:1")] }]));
        var table = snapshot.Servers.ForPort(0);
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Host = new HostString("example.com");
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        context.Request.QueryString = query < 0 ? default : new Microsoft.AspNetCore.Http.QueryString(pathAndQuery[query..]);
        if (header.Length > 0)
        {
            context.Request.Headers[header[..header.IndexOf(':', StringComparison.Ordinal)]] = header[(header.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }

        Assert.Equal(expected, Select(table, context)?.Name);
        Assert.Equal(0, MinimumBytesAllocated(table, context));
    }

    private static RouteConfig Rule(string name, params RouteMatchConfig[] matches) => new()
    {
        Name = name,
        Matches = matches,
        Destinations = [new DestinationConfig("up", 100)],
    };

    /// <summary>
    /// Bytes allocated by 10,000 selections, the least of five rounds: a per-request allocation shows in
    /// every round, while the runtime's one-off work on this thread (tiering, on-stack replacement while
    /// the suite runs in parallel) does not.
    /// </summary>
    private static long MinimumBytesAllocated(RouteTable table, HttpContext context)
    {
        var least = long.MaxValue;
        for (var round = 0; round < 5 && least > 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                Select(table, context);
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
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
