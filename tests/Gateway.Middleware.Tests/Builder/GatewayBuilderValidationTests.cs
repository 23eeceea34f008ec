using Gateway.Middleware.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Builder;

/// <summary>An invalid configuration stops the app while it is built, with every error listed once.</summary>
public sealed class GatewayBuilderValidationTests
{
    [Fact]
    public void UseGateway_SeveralErrors_OneExceptionListingEach()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGateway()
            .AddUpstream("reviews", u => u.Endpoint("http://127.0.0.1:9080"))
            .AddUpstream("reviews", u => u.Endpoint("ftp://127.0.0.1:21"))
            .AddUpstream("ratings", u => u.Endpoint("http://127.0.0.1:9080/api"))
            .AddRoute("no-destination", r => r.MatchPathPrefix("/a"))
            .AddRoute("unknown-upstream", r => r.RouteTo("details"))
            .AddRoute("bad-host", r => r.Hosts("*.*.example.com").RouteTo("reviews"))
            .AddRoute("bad-prefix", r => r.MatchPathPrefix("api").RouteTo("reviews"))
            .AddRoute("bad-prefix", r => r.RouteTo("reviews"))
            .AddRoute("host-with-port", r => r.Hosts("shop.example.com:8080").RouteTo("reviews"));
        using var app = builder.Build();

        var exception = Assert.Throws<GatewayConfigurationException>(() => app.UseGateway());

        Assert.Equal(
            [
                "upstream 'reviews': duplicate upstream name 'reviews'",
                "upstream 'reviews': endpoints[0]: 'ftp://127.0.0.1:21' is not a valid address: expected http://host:port or https://host:port",
                "upstream 'ratings': endpoints[0]: 'http://127.0.0.1:9080/api' is not a valid address: an endpoint has no path, query or user info",
                "route 'no-destination': a route needs at least one destination, a redirect or a direct response",
                "route 'unknown-upstream': route[0].destination.host: unknown upstream 'details'",
                "route 'bad-host': hosts[0]: '*.*.example.com' is not a valid wildcard host: only a leading '*.' is allowed",
                "route 'bad-prefix': match[0].uri.prefix: 'api' must start with '/'",
                "route 'bad-prefix': duplicate route name 'bad-prefix'",
                "route 'host-with-port': hosts[0]: 'shop.example.com:8080' is not a valid host: a host has no port",
            ],
            exception.Errors);
        Assert.Contains("9 errors", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseGateway_BadHeaderOperationsAndCorsRegex_ListedWithFieldPaths()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGateway()
            .AddUpstream("a", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("r", r => r
                .RequestHeaders(h => h.Set("bad name", "x").Add("x-ok", "line\r\nInjected: 1").Set(":authority", "fine.example.com"))
                .Cors(c => c.AllowOrigin(regex: "("))
                .RouteTo("a", d => d.ResponseHeaders(h => h.Remove("also bad"))));
        using var app = builder.Build();

        var exception = Assert.Throws<GatewayConfigurationException>(() => app.UseGateway());

        Assert.Equal(4, exception.Errors.Count);
        Assert.Equal("route 'r': headers.request.set: 'bad name' is not a valid header name", exception.Errors[0]);
        Assert.Equal("route 'r': headers.request.add.x-ok: the value must not contain CR, LF or NUL", exception.Errors[1]);
        Assert.Equal("route 'r': route[0].headers.response.remove: 'also bad' is not a valid header name", exception.Errors[2]);
        Assert.StartsWith("route 'r': corsPolicy.allowOrigins[0].regex: invalid pattern '('", exception.Errors[3], StringComparison.Ordinal);
    }

    [Fact]
    public void UseGateway_ValidConfiguration_DoesNotThrow()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGateway()
            .AddUpstream("reviews", u => u.Endpoint("http://127.0.0.1:9080").Endpoint(new Uri("https://reviews.internal:9443")))
            .AddRoute("reviews", r => r.Hosts("bookinfo.example.com", "*.example.com", "*").MatchPathPrefix("/reviews").RouteTo("reviews"));
        using var app = builder.Build();

        app.UseGateway();
    }

    [Fact]
    public void AddRoute_AfterGatewayBuilt_Throws()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var gateway = builder.Services.AddGateway()
            .AddUpstream("a", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("a", r => r.RouteTo("a"));
        using var app = builder.Build();
        app.UseGateway();

        var exception = Assert.Throws<InvalidOperationException>(() => gateway.AddRoute("late", r => r.RouteTo("a")));
        Assert.Contains("already been built", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGateway_CalledTwice_SharesOneConfiguration()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGateway().AddUpstream("a", u => u.Endpoint("http://127.0.0.1:1"));
        builder.Services.AddGateway().AddRoute("a", r => r.RouteTo("a"));
        using var app = builder.Build();

        // The route in the second call sees the upstream of the first: no "unknown upstream" error.
        app.UseGateway();
    }
}
