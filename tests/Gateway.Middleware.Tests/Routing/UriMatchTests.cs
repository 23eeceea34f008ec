using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// Istio VirtualService <c>HTTPMatchRequest.uri</c> (StringMatch exact / prefix / regex) and
/// <c>ignoreUriCase</c>. Regexes are RE2 and must match the whole path (Envoy <c>safe_regex</c>);
/// <c>ignoreUriCase</c> applies to exact and prefix only. The query string is not part of the path.
/// No matching rule answers 404.
/// </summary>
public sealed class UriMatchTests : IClassFixture<UriMatchTests.Fixture>
{
    private readonly RoutingTestHost _host;

    public UriMatchTests(Fixture fixture)
    {
        _host = fixture.Host;
    }

    [Theory]
    [InlineData("/reviews", "exact")]
    [InlineData("/reviews?page=2", "exact")]
    [InlineData("/reviews/", "404")]
    [InlineData("/reviews/1", "404")]
    [InlineData("/review", "404")]
    [InlineData("/Reviews", "404")]
    public async Task UriExact_WholePathCaseSensitive_MatchesOnlyThatPath(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "exact.test"));

    [Theory]
    [InlineData("/reviews", "prefix")]
    [InlineData("/reviews/1", "prefix")]
    [InlineData("/reviewsabc", "prefix")] // Istio's prefix is a plain string prefix
    [InlineData("/review", "404")]
    [InlineData("/Reviews/1", "404")]
    [InlineData("/api/reviews", "404")]
    public async Task UriPrefix_PlainStringPrefix_MatchesPathsStartingWithIt(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "prefix.test"));

    [Theory]
    [InlineData("/reviews/123", "regex")]
    [InlineData("/reviews/0", "regex")]
    [InlineData("/reviews/", "404")]
    [InlineData("/reviews/123/comments", "404")] // must match the whole path, not a part of it
    [InlineData("/api/reviews/123", "404")]
    [InlineData("/reviews/12a", "404")]
    public async Task UriRegex_Re2_MustMatchWholePath(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "regex.test"));

    [Theory]
    [InlineData("/users/bob/profile", "named-group")]
    [InlineData("/users/Bob/profile", "404")]
    [InlineData("/users/bob/profile/x", "404")]
    public async Task UriRegex_Re2NamedGroup_Accepted(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "named.test"));

    [Theory]
    [InlineData("/reviews", "exact-ignore-case")]
    [InlineData("/REVIEWS", "exact-ignore-case")]
    [InlineData("/rEvIeWs", "exact-ignore-case")]
    [InlineData("/reviews/1", "404")]
    public async Task UriExact_IgnoreUriCase_MatchesAnyCase(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "exact-icase.test"));

    [Theory]
    [InlineData("/reviews/1", "prefix-ignore-case")]
    [InlineData("/REVIEWS/1", "prefix-ignore-case")]
    [InlineData("/Reviewsabc", "prefix-ignore-case")]
    [InlineData("/revie", "404")]
    public async Task UriPrefix_IgnoreUriCase_MatchesAnyCase(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "prefix-icase.test"));

    [Theory]
    [InlineData("/reviews", "regex-ignore-case-unused")]
    [InlineData("/REVIEWS", "404")]
    public async Task UriRegex_IgnoreUriCase_DoesNotApply(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(path, host: "regex-icase.test"));

    [Theory]
    [InlineData("/caf\u00e9", "non-ascii-ignore-case")]
    [InlineData("/CAF\u00c9", "non-ascii-ignore-case")]
    [InlineData("/CAFE", "404")]
    public async Task UriExact_IgnoreUriCaseNonAscii_FollowsOrdinalIgnoreCase(string path, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal), host: "non-ascii.test"));

    public sealed class Fixture : RoutingFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddRoute("exact", r => r.Hosts("exact.test").MatchPath("/reviews").RouteTo("up"))
            .AddRoute("prefix", r => r.Hosts("prefix.test").MatchPathPrefix("/reviews").RouteTo("up"))
            .AddRoute("regex", r => r.Hosts("regex.test").MatchPathRegex("/reviews/[0-9]+").RouteTo("up"))
            .AddRoute("named-group", r => r.Hosts("named.test").MatchPathRegex("/users/(?P<user>[a-z]+)/profile").RouteTo("up"))
            .AddRoute("exact-ignore-case", r => r.Hosts("exact-icase.test").Match(m => m.PathExact("/Reviews").IgnoreUriCase()).RouteTo("up"))
            .AddRoute("prefix-ignore-case", r => r.Hosts("prefix-icase.test").Match(m => m.PathPrefix("/reviews").IgnoreUriCase()).RouteTo("up"))
            .AddRoute("regex-ignore-case-unused", r => r.Hosts("regex-icase.test").Match(m => m.PathRegex("/reviews").IgnoreUriCase()).RouteTo("up"))
            .AddRoute("non-ascii-ignore-case", r => r.Hosts("non-ascii.test").Match(m => m.PathExact("/Caf\u00e9").IgnoreUriCase()).RouteTo("up"));
    }
}
