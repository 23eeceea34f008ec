using Gateway.Middleware.Configuration;
using Gateway.Middleware.Routing;
using Gateway.Middleware.Routing.Actions;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// The path index behind <see cref="VirtualHost.Match"/> must answer exactly as trying every rule in order
/// would (Istio first match; Gateway API precedence order once sorted). Randomized rule sets and requests
/// from a fixed seed, compared with a naive linear scan.
/// </summary>
public sealed class RouteIndexPropertyTests
{
    private static readonly string[] Segments = ["api", "API", "v1", "v2", "v2example", "users", "Users", "caf\u00e9", "CAF\u00c9", "\u0131d", "id", "x", ""];
    private static readonly string[] Methods = ["GET", "POST", "PUT"];

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void Match_RandomRulesAndRequests_SameAsLinearScan(int seed, bool gatewayApi)
    {
        var random = new Random(seed);
        for (var set = 0; set < 25; set++)
        {
            var routes = RandomRoutes(random, random.Next(1, 60), gatewayApi);
            var virtualHost = new VirtualHost("*", "default", routes);
            for (var request = 0; request < 300; request++)
            {
                var context = RandomRequest(random);

                var expected = Linear(routes, context);
                var actual = virtualHost.Match(context);

                Assert.True(
                    ReferenceEquals(expected, actual),
                    $"seed {seed} set {set}: {context.Request.Method} {context.Request.Path}{context.Request.QueryString} -> index '{actual?.Name}', linear '{expected?.Name}'");
            }
        }
    }

    [Fact]
    public void Match_DeepOverlappingPrefixes_FallsBackAndStaysExact()
    {
        // More nested prefixes than the index merges at once: /a, /aa, /aaa, ... (first match /a... wins).
        var routes = new Route[40];
        for (var i = 0; i < routes.Length; i++)
        {
            var prefix = "/" + new string('a', routes.Length - i);
            routes[i] = NewRoute($"r{i}", new RouteMatchConfig { Path = new StringMatchConfig(StringMatchKind.Prefix, prefix), Method = new StringMatchConfig(StringMatchKind.Exact, "POST") });
        }

        var virtualHost = new VirtualHost("*", "default", routes);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/" + new string('a', 40);

        Assert.Same(routes[0], virtualHost.Match(context));
        context.Request.Path = "/aaa";
        Assert.Same(routes[37], virtualHost.Match(context));
    }

    private static Route? Linear(Route[] routes, HttpContext context)
    {
        foreach (var route in routes)
        {
            if (route.Matches(context))
            {
                return route;
            }
        }

        return null;
    }

    private static Route[] RandomRoutes(Random random, int count, bool gatewayApi)
    {
        var routes = new List<Route>();
        for (var i = 0; i < count; i++)
        {
            var matches = new RouteMatchConfig[random.Next(0, 3)];
            for (var m = 0; m < matches.Length; m++)
            {
                matches[m] = RandomMatch(random, gatewayApi);
            }

            if (gatewayApi && matches.Length > 1)
            {
                // A Gateway API rule compiles to one route per match, each ranked on its own.
                for (var m = 0; m < matches.Length; m++)
                {
                    routes.Add(NewRoute($"r{i}.{m}", matches[m]));
                }
            }
            else
            {
                routes.Add(NewRoute($"r{i}", matches));
            }
        }

        var array = routes.ToArray();
        if (gatewayApi)
        {
            Array.Sort(array, GatewayApiPrecedence.Compare);
        }

        return array;
    }

    private static RouteMatchConfig RandomMatch(Random random, bool gatewayApi)
    {
        var literal = RandomPath(random, random.Next(1, 4));
        var path = random.Next(6) switch
        {
            0 => null,
            1 => new StringMatchConfig(StringMatchKind.Exact, literal),
            2 => new StringMatchConfig(gatewayApi ? StringMatchKind.SegmentPrefix : StringMatchKind.Prefix, random.Next(4) == 0 ? literal[..Math.Max(1, literal.Length - 2)] : literal),
            3 => new StringMatchConfig(StringMatchKind.SegmentPrefix, random.Next(5) == 0 ? "/" : literal + (random.Next(2) == 0 ? "/" : "")),
            4 => new StringMatchConfig(StringMatchKind.Regex, "/(api|v1)/.*"),
            _ => new StringMatchConfig(StringMatchKind.Prefix, random.Next(3) == 0 ? "/" : literal),
        };
        return new RouteMatchConfig
        {
            Path = path,
            IgnoreUriCase = random.Next(3) == 0,
            Method = random.Next(4) == 0 ? new StringMatchConfig(StringMatchKind.Exact, Methods[random.Next(Methods.Length)]) : null,
            Headers = random.Next(4) == 0 ? [new NamedMatchConfig("x-h", new StringMatchConfig(StringMatchKind.Exact, random.Next(2).ToString(System.Globalization.CultureInfo.InvariantCulture)))] : [],
            QueryParams = random.Next(5) == 0 ? [new NamedMatchConfig("q", null)] : [],
        };
    }

    private static string RandomPath(Random random, int segments)
    {
        var path = "";
        for (var i = 0; i < segments; i++)
        {
            path += "/" + Segments[random.Next(Segments.Length)];
        }

        return path;
    }

    private static DefaultHttpContext RandomRequest(Random random)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = Methods[random.Next(Methods.Length)];
        var path = RandomPath(random, random.Next(0, 5));
        context.Request.Path = path.Length == 0 ? (random.Next(2) == 0 ? "/" : PathString.Empty) : path;
        if (random.Next(2) == 0)
        {
            context.Request.Headers["x-h"] = random.Next(2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (random.Next(3) == 0)
        {
            context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?q=1");
        }

        return context;
    }

    private static Route NewRoute(string name, params RouteMatchConfig[] matches)
    {
        var compiled = new RouteMatch[matches.Length];
        for (var i = 0; i < matches.Length; i++)
        {
            compiled[i] = new RouteMatch(matches[i]);
        }

        return new Route(compiled, new RouteAction(name, []));
    }
}
