using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// How conditions combine: the fields of one Istio <c>HTTPMatchRequest</c> AND, the <c>match</c> list ORs;
/// a VirtualService's rules are tried in declaration order and the first match wins, however specific a
/// later rule is. Gateway API <c>PathPrefix</c> matches whole segments, trailing <c>/</c> ignored.
/// </summary>
public sealed class MatchCompositionTests : IClassFixture<MatchCompositionTests.Fixture>
{
    private readonly RoutingTestHost _host;

    public MatchCompositionTests(Fixture fixture)
    {
        _host = fixture.Host;
    }

    [Theory]
    [InlineData("/api/orders", "POST", "1", "and")]
    [InlineData("/api/orders", "GET", "1", "404")] // method fails
    [InlineData("/api/orders", "POST", "2", "404")] // header fails
    [InlineData("/web/orders", "POST", "1", "404")] // path fails
    public async Task MatchFields_AllMustHold(string path, string method, string tenant, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, method, "and.test", ("x-tenant", tenant)));

    [Theory]
    [InlineData("/a/1", null, "or")]
    [InlineData("/b", "beta", "or")]
    [InlineData("/c", "beta", "or")]
    [InlineData("/c", null, "404")]
    public async Task MatchList_AnyOneSelectsTheRule(string path, string? channel, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "or.test", headers: channel is null ? [] : [("x-channel", channel)]));

    [Theory]
    [InlineData("/api/v1/users", "api-prefix")] // declared first, wins over the more specific exact rule
    [InlineData("/api", "api-prefix")]
    [InlineData("/static/app.js", "regex")]
    [InlineData("/other", "catch-all")]
    public async Task IstioRules_FirstMatchInDeclarationOrder(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "order.test"));

    [Theory]
    [InlineData("/v2", "segment")]
    [InlineData("/v2/", "segment")]
    [InlineData("/v2/x", "segment")]
    [InlineData("/v2/x/y", "segment")]
    [InlineData("/v2example", "404")]
    [InlineData("/v", "404")]
    [InlineData("/V2", "404")]
    public async Task GatewayApiPathPrefix_WholeSegmentsOnly(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "segment.test"));

    [Theory]
    [InlineData("/v3", "segment-trailing-slash")]
    [InlineData("/v3/", "segment-trailing-slash")]
    [InlineData("/v3/x", "segment-trailing-slash")]
    [InlineData("/v3x", "404")]
    public async Task GatewayApiPathPrefix_TrailingSlashInPrefixIgnored(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "segment.test"));

    [Theory]
    [InlineData("/v2example", "istio-prefix")]
    [InlineData("/v2/x", "istio-prefix")]
    public async Task IstioPrefix_PlainStringPrefix_UnlikeGatewayApi(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "plain.test"));

    public sealed class Fixture : RoutingFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddRoute("and", r => r.Hosts("and.test").Match(m => m.PathPrefix("/api").Method(exact: "POST").Header("x-tenant", exact: "1")).RouteTo("up"))
            .AddRoute("or", r => r.Hosts("or.test").Match(m => m.PathPrefix("/a")).Match(m => m.PathExact("/b")).Match(m => m.Header("x-channel", exact: "beta")).RouteTo("up"))
            .AddRoute("api-prefix", r => r.Hosts("order.test").MatchPathPrefix("/api").RouteTo("up"))
            .AddRoute("api-exact", r => r.Hosts("order.test").MatchPath("/api/v1/users").RouteTo("up"))
            .AddRoute("regex", r => r.Hosts("order.test").MatchPathRegex("/static/.*").RouteTo("up"))
            .AddRoute("catch-all", r => r.Hosts("order.test").RouteTo("up"))
            .AddRoute("never", r => r.Hosts("order.test").MatchPath("/other").RouteTo("up"))
            .AddRoute("istio-prefix", r => r.Hosts("plain.test").MatchPathPrefix("/v2").RouteTo("up"))
            .AddHttpRoute("segment", r => r.Hostnames("segment.test").Rule(rule => rule.MatchPathPrefix("/v2").RouteTo("up")))
            .AddHttpRoute("segment-trailing-slash", r => r.Hostnames("segment.test").Rule(rule => rule.MatchPathPrefix("/v3/").RouteTo("up")));
    }
}
