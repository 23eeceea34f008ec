using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Hosts;

/// <summary>
/// Istio Gateway/VirtualService host matching (DESIGN.md, "Host matching"): exact, <c>*.suffix</c> (one or
/// more labels, never the apex), <c>*</c>; case-insensitive; port ignored; exact beats wildcard; the longer
/// wildcard beats the shorter. The routes answer with their own name instead of forwarding.
/// </summary>
public sealed class HostMatchingTests
{
    [Theory]
    [InlineData("bookinfo.example.com", "exact")]
    [InlineData("BookInfo.Example.COM", "exact")]
    [InlineData("bookinfo.example.com:8080", "exact")]
    [InlineData("reviews.example.com", "wildcard")]
    [InlineData("a.b.example.com", "wildcard")]
    [InlineData("x.api.example.com", "longer-wildcard")]
    [InlineData("example.com", "any")]
    [InlineData("other.org", "any")]
    [InlineData("[::1]:8080", "any")]
    public async Task MatchHost_Precedence_MostSpecificHostWins(string host, string expectedRoute)
    {
        using var server = await StartAsync(g => g
            .AddRoute("exact", r => r.Hosts("bookinfo.example.com").RouteTo("up"))
            .AddRoute("wildcard", r => r.Hosts("*.example.com").RouteTo("up"))
            .AddRoute("longer-wildcard", r => r.Hosts("*.api.example.com").RouteTo("up"))
            .AddRoute("any", r => r.Hosts("*").RouteTo("up")));

        Assert.Equal(expectedRoute, await GetRouteAsync(server, host, "/"));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("badexample.com")]
    [InlineData("other.org")]
    public async Task MatchHost_NoMatchingHost_404EmptyBody(string host)
    {
        using var server = await StartAsync(g => g.AddRoute("wildcard", r => r.Hosts("*.example.com").RouteTo("up")));
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MatchHost_ExactHostWithoutMatchingRoute_404EvenIfWildcardRouteWouldMatch()
    {
        // Envoy selects the virtual host first; it never falls back to a less specific host's routes.
        using var server = await StartAsync(g => g
            .AddRoute("exact-api", r => r.Hosts("shop.example.com").MatchPathPrefix("/api").RouteTo("up"))
            .AddRoute("wildcard-all", r => r.Hosts("*.example.com").RouteTo("up")));
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/other");
        request.Headers.Host = "shop.example.com";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/v2", "v2-prefix")]
    [InlineData("/v2example", "v2-prefix")] // Istio's uri.prefix is a plain string prefix
    [InlineData("/v2/x", "v2-prefix")]
    [InlineData("/v1", "catch-all")]
    [InlineData("/", "catch-all")]
    public async Task MatchRoute_FirstMatchingRuleInOrderWins(string path, string expectedRoute)
    {
        using var server = await StartAsync(g => g
            .AddRoute("v2-prefix", r => r.Hosts("a.example.com").MatchPathPrefix("/v2").RouteTo("up"))
            .AddRoute("catch-all", r => r.Hosts("a.example.com").RouteTo("up"))
            .AddRoute("never", r => r.Hosts("a.example.com").MatchPathPrefix("/v1").RouteTo("up")));

        Assert.Equal(expectedRoute, await GetRouteAsync(server, "a.example.com", path));
    }

    [Fact]
    public async Task MatchRoute_SeveralMatches_AnyOneSelectsTheRoute()
    {
        using var server = await StartAsync(g => g
            .AddRoute("either", r => r.Hosts("*").Match(m => m.PathPrefix("/a")).Match(m => m.PathPrefix("/b")).RouteTo("up"))
            .AddRoute("rest", r => r.Hosts("*").RouteTo("up")));

        Assert.Equal("either", await GetRouteAsync(server, "x", "/a1"));
        Assert.Equal("either", await GetRouteAsync(server, "x", "/b1"));
        Assert.Equal("rest", await GetRouteAsync(server, "x", "/c"));
    }

    private static async Task<TestServer> StartAsync(Action<Gateway.Middleware.Builder.IGatewayBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var gateway = builder.Services.AddGateway().AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"));
        configure(gateway);
        var app = builder.Build();

        // Stop after routing: answer with the route's name instead of forwarding.
        app.UseGatewayHostMatching();
        app.UseGatewayRouting();
        app.Run(context => context.Response.WriteAsync(context.Features.Get<Gateway.Middleware.Features.IGatewayFeature>()!.RouteName!));
        await app.StartAsync();
        return app.GetTestServer();
    }

    private static async Task<string> GetRouteAsync(TestServer server, string host, string path)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Host", host);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
