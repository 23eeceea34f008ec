using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Routing.Actions;

/// <summary>
/// What the upstream receives after a rewrite (Istio <c>HTTPRewrite</c> and <c>uriRegexRewrite</c>, Gateway API
/// <c>URLRewrite</c>): the rewritten path with the client's query, and the rewritten <c>Host</c>.
/// </summary>
public sealed class RewriteTests : IAsyncLifetime
{
    private RequestEchoUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await RequestEchoUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    /// <summary>Istio <c>rewrite.uri</c>: the matched prefix is replaced; after an exact match, the whole path.</summary>
    [Theory]
    [InlineData("/ratings", "/v1/bookRatings", "/ratings/v2/7?x=1&y=%20", "/v1/bookRatings/v2/7?x=1&y=%20")]
    [InlineData("/api/", "/", "/api/users?id=7", "/users?id=7")]
    [InlineData("/api", "/", "/api/users", "/users")]
    [InlineData("/v2", "/v3", "/v2example", "/v3example")]
    [InlineData("/old", "/new", "/old/a%20b", "/new/a%20b")]
    public async Task Rewrite_IstioUriAfterPrefix_ForwardsRewrittenPathAndQuery(string prefix, string uri, string request, string expected)
    {
        await using var gateway = await StartAsync(g => g.AddRoute("r", r => r.MatchPathPrefix(prefix).Rewrite(uri: uri).RouteTo("up")));

        Assert.Equal(expected, await GetTargetAsync(gateway, request));
    }

    [Fact]
    public async Task Rewrite_IstioUriAfterExactMatch_ReplacesWholePath()
    {
        await using var gateway = await StartAsync(g => g.AddRoute("r", r => r.MatchPath("/login").Rewrite(uri: "/auth/v2/login").RouteTo("up")));

        Assert.Equal("/auth/v2/login?next=%2Fhome", await GetTargetAsync(gateway, "/login?next=%2Fhome"));
    }

    /// <summary>An Istio rule with several matches: the prefix of the match that selected the request is replaced.</summary>
    [Theory]
    [InlineData("/shop/cart", "/store/cart")]
    [InlineData("/boutique/cart", "/store/cart")]
    public async Task Rewrite_RuleWithSeveralPrefixMatches_ReplacesTheOneThatMatched(string request, string expected)
    {
        await using var gateway = await StartAsync(g => g.AddRoute("r", r => r
            .Match(m => m.PathPrefix("/shop"))
            .Match(m => m.PathPrefix("/boutique"))
            .Rewrite(uri: "/store")
            .RouteTo("up")));

        Assert.Equal(expected, await GetTargetAsync(gateway, request));
    }

    /// <summary>Gateway API conformance HTTPRouteRewritePath: ReplacePrefixMatch and ReplaceFullPath.</summary>
    [Theory]
    [InlineData("/prefix/one/two", "/one/two")]
    [InlineData("/prefix/one", "/one")]
    [InlineData("/prefix/one/", "/one/")]
    [InlineData("/strip-prefix/three", "/three")]
    [InlineData("/strip-prefix", "/")]
    [InlineData("/full/one/two?q=1", "/one?q=1")]
    public async Task Rewrite_GatewayApiPathModifiers_FollowConformanceTable(string request, string expected)
    {
        await using var gateway = await StartAsync(g => g.AddHttpRoute("rewrite-path", h => h
            .Rule(r => r.MatchPathPrefix("/prefix/one").Rewrite(uri: "/one").RouteTo("up"))
            .Rule(r => r.MatchPathPrefix("/strip-prefix").Rewrite(uri: "/").RouteTo("up"))
            .Rule(r => r.MatchPathPrefix("/full/one").RewriteFullPath("/one").RouteTo("up"))));

        Assert.Equal(expected, await GetTargetAsync(gateway, request));
    }

    /// <summary>Istio <c>uriRegexRewrite</c> reference example, and Envoy's substitute-every-match semantics.</summary>
    [Theory]
    [InlineData(@"^/service/([^/]+)(/.*)$", @"\2/instance/\1", "/service/foo/v1/api?x=1", "/v1/api/instance/foo?x=1")]
    [InlineData("one", "two", "/xxx/one/yyy/one/zzz", "/xxx/two/yyy/two/zzz")]
    public async Task Rewrite_UriRegexRewrite_SubstitutesCaptureGroups(string match, string rewrite, string request, string expected)
    {
        await using var gateway = await StartAsync(g => g.AddRoute("r", r => r.RewriteRegex(match, rewrite).RouteTo("up")));

        Assert.Equal(expected, await GetTargetAsync(gateway, request));
    }

    [Fact]
    public async Task Rewrite_Authority_ReplacesHostAndKeepsForwardedHost()
    {
        await using var gateway = await StartAsync(g => g.AddRoute("r", r => r.Rewrite(authority: "reviews.internal:9080").RouteTo("up")));

        var target = await GetTargetAsync(gateway, "/reviews/1", host: "bookinfo.example.com");
        var seen = _upstream.Seen!;

        Assert.Equal("/reviews/1", target);
        Assert.Equal("reviews.internal:9080", seen["Host"]);
        Assert.Equal("bookinfo.example.com", seen["X-Forwarded-Host"]);
    }

    [Fact]
    public async Task Rewrite_UriAndAuthorityTogether_BothApply()
    {
        await using var gateway = await StartAsync(g => g.AddRoute("r", r => r.MatchPathPrefix("/v1").Rewrite(uri: "/api/v1", authority: "api.internal").RouteTo("up")));

        Assert.Equal("/api/v1/items", await GetTargetAsync(gateway, "/v1/items"));
        Assert.Equal("api.internal", _upstream.Seen!["Host"]);
    }

    private Task<GatewayHost> StartAsync(Action<IGatewayBuilder> routes)
        => GatewayHost.StartAsync(g => routes(g.AddUpstream("up", u => u.Endpoint(_upstream.Address))));

    private static async Task<string> GetTargetAsync(GatewayHost gateway, string pathAndQuery, string host = "app.example.com")
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
