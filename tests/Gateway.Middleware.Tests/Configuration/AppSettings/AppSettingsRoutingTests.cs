using System.Net;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>
/// Routing decisions a user gets from an appsettings.json <c>Gateway</c> section: Istio VirtualService
/// semantics (rules in list order, first match wins; <c>uri.prefix</c> a plain string prefix; regexes match
/// the whole value), servers, hosts, subsets and the actions routing answers itself.
/// </summary>
public sealed class AppSettingsRoutingTests
{
    [Theory]
    [InlineData("/reviews/1", "end-user:jason", "jason")]
    [InlineData("/reviews/1", "end-user:bob", "reviews")]
    [InlineData("/reviewsx", "", "reviews")] // Istio: prefix is a plain string prefix
    [InlineData("/REVIEWS", "", "reviews")] // IgnoreUriCase
    [InlineData("/ratings/42", "", "ratings")]
    [InlineData("/ratings/x", "", "catch-all")] // regex matches the whole path
    [InlineData("/", "", "exact-root")]
    [InlineData("/other", "", "catch-all")] // "never" comes after the catch-all
    public async Task Routes_UriAndHeaderMatches_FirstMatchInListOrder(string path, string headers, string expected)
    {
        await using var host = await AppSettingsTestHost.StartAsync(AppSettings.WithRoutes("""
            { "Name": "jason", "Match": [ { "Uri": { "Prefix": "/reviews" }, "Headers": { "end-user": { "Exact": "jason" } } } ], "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "reviews", "Match": [ { "Uri": { "Prefix": "/reviews" }, "IgnoreUriCase": true } ], "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "ratings", "Match": [ { "Uri": { "Regex": "/ratings/[0-9]+" } } ], "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "exact-root", "Match": [ { "Uri": { "Exact": "/" } } ], "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "catch-all", "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "never", "Match": [ { "Uri": { "Prefix": "/other" } } ], "Route": [ { "Destination": { "Host": "up" } } ] }
            """));

        Assert.Equal(expected, await host.RouteNameAsync(path, headers: Headers(headers)));
    }

    [Theory]
    [InlineData("GET", "/?debug", "", "debug")] // QueryParams {}: present, even bare
    [InlineData("GET", "/?lang=en-GB", "", "english")]
    [InlineData("DELETE", "/", "", "delete")]
    [InlineData("GET", "/", "x-canary:1", "canary")] // Headers {}: present
    [InlineData("GET", "/", "x-canary:1,x-internal:1", "rest")] // WithoutHeaders
    [InlineData("GET", "/", "", "rest")]
    public async Task Routes_QueryMethodHeaderPresenceAndWithoutHeaders(string method, string path, string headers, string expected)
    {
        await using var host = await AppSettingsTestHost.StartAsync(AppSettings.WithRoutes("""
            { "Name": "debug", "Match": [ { "QueryParams": { "debug": {} } } ], "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "english", "Match": [ { "QueryParams": { "lang": { "Prefix": "en" } } } ], "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "delete", "Match": [ { "Method": { "Exact": "DELETE" } } ], "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "canary", "Match": [ { "Headers": { "x-canary": {} }, "WithoutHeaders": { "x-internal": {} } } ], "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "rest", "Route": [ { "Destination": { "Host": "up" } } ] }
            """));

        Assert.Equal(expected, await host.RouteNameAsync(path, method: method, headers: Headers(headers)));
    }

    [Fact]
    public async Task Routes_SeveralMatches_AnyOneSelects()
    {
        await using var host = await AppSettingsTestHost.StartAsync(AppSettings.WithRoutes("""
            { "Name": "either", "Match": [ { "Uri": { "Prefix": "/a" } }, { "Uri": { "Prefix": "/b" } } ], "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "rest", "Route": [ { "Destination": { "Host": "up" } } ] }
            """));

        Assert.Equal("either", await host.RouteNameAsync("/a1"));
        Assert.Equal("either", await host.RouteNameAsync("/b1"));
        Assert.Equal("rest", await host.RouteNameAsync("/c"));
    }

    [Theory]
    [InlineData("shop.example.com", 80, "shop")]
    [InlineData("api.example.com", 80, "wildcard")]
    [InlineData("api.example.com", 443, "secure-only")]
    [InlineData("example.com", 80, "404")] // a wildcard never matches the apex
    [InlineData("other.org", 80, "404")]
    public async Task Servers_HostsAndPorts_SelectRoutes(string hostName, int port, string expected)
    {
        await using var host = await AppSettingsTestHost.StartAsync("""
            { "Gateway": {
              "Servers": {
                "http": { "Port": 80, "Hosts": [ "*.example.com" ] },
                "https": { "Port": 443, "Hosts": [ "*.example.com" ], "Tls": false }
              },
              "Upstreams": { "up": { "Endpoints": [ "http://127.0.0.1:1" ] } },
              "Routes": [
                { "Name": "secure-only", "Servers": [ "https" ], "Route": [ { "Destination": { "Host": "up" } } ] },
                { "Name": "shop", "Hosts": [ "shop.example.com" ], "Route": [ { "Destination": { "Host": "up" } } ] },
                { "Name": "wildcard", "Hosts": [ "*.example.com" ], "Servers": [ "http" ], "Route": [ { "Destination": { "Host": "up" } } ] }
              ]
            } }
            """);

        Assert.Equal(expected, await host.RouteNameAsync("/", hostName, port));
    }

    [Fact]
    public async Task Routes_MatchPort_SelectsByLocalPort()
    {
        await using var host = await AppSettingsTestHost.StartAsync(AppSettings.WithRoutes("""
            { "Name": "admin", "Match": [ { "Port": 9901 } ], "Route": [ { "Destination": { "Host": "up" } } ] },
            { "Name": "rest", "Route": [ { "Destination": { "Host": "up" } } ] }
            """));

        Assert.Equal("admin", await host.RouteNameAsync("/", port: 9901));
        Assert.Equal("rest", await host.RouteNameAsync("/", port: 80));
    }

    [Fact]
    public async Task Route_SubsetWeights_AllTrafficToTheWeightedSubset()
    {
        await using var host = await AppSettingsTestHost.StartAsync(AppSettings.WithRoutes("""
            { "Name": "canary", "Route": [
              { "Destination": { "Host": "up", "Subset": "v1" }, "Weight": 0 },
              { "Destination": { "Host": "up", "Subset": "v2" }, "Weight": 100 }
            ] }
            """));

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("canary|up|v2", await host.RouteAsync("/"));
        }
    }

    [Fact]
    public async Task DirectResponseAndRedirect_AnsweredByTheGateway()
    {
        await using var host = await AppSettingsTestHost.StartAsync(AppSettings.WithRoutes("""
            { "Name": "health", "Match": [ { "Uri": { "Exact": "/healthz" } } ], "DirectResponse": { "Status": 200, "Body": "ok" } },
            { "Name": "moved", "Match": [ { "Uri": { "Exact": "/old" } } ], "Redirect": { "Uri": "/new", "Authority": "www.example.com", "RedirectCode": 308 } }
            """), forward: true);

        using var health = await host.SendAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
        using var moved = await host.SendAsync("/old");
        Assert.Equal(HttpStatusCode.PermanentRedirect, moved.StatusCode);
        Assert.Equal("http://www.example.com/new", moved.Headers.Location!.OriginalString);
    }

    /// <summary><c>name:value,name:value</c> → header pairs.</summary>
    private static (string Name, string Value)[] Headers(string text)
        => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(h => (h.Split(':')[0], h.Split(':')[1]))];
}
