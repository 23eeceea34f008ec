using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// Istio <c>HTTPMatchRequest.queryParams</c>: exact / prefix / regex / presence, names and values
/// case-sensitive, values percent-decoded, the first occurrence of a name decides (Envoy). <c>exact: ""</c>
/// matches a bare key (<c>?debug</c>) and an empty value (<c>?debug=</c>), as Istio documents.
/// </summary>
public sealed class QueryParamMatchTests : IClassFixture<QueryParamMatchTests.Fixture>
{
    private readonly RoutingTestHost _host;

    public QueryParamMatchTests(Fixture fixture)
    {
        _host = fixture.Host;
    }

    [Theory]
    [InlineData("/exact?animal=whale", "exact")]
    [InlineData("/exact?x=1&animal=whale&y=2", "exact")]
    [InlineData("/exact?animal=wh%61le", "exact")] // values are percent-decoded
    [InlineData("/exact?animal=Whale", "404")] // values are case-sensitive
    [InlineData("/exact?ANIMAL=whale", "404")] // names are case-sensitive
    [InlineData("/exact?animal=whales", "404")]
    [InlineData("/exact?animal=dolphin&animal=whale", "404")] // the first occurrence decides
    [InlineData("/exact?animals=whale", "404")]
    [InlineData("/exact", "404")]
    public async Task QueryParams_Exact_MatchesWholeValue(string pathAndQuery, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(pathAndQuery, host: "query.test"));

    [Theory]
    [InlineData("/prefix?animal=whale", "prefix")]
    [InlineData("/prefix?animal=wha", "prefix")]
    [InlineData("/prefix?animal=wh", "404")]
    [InlineData("/regex?animal=whale", "regex")]
    [InlineData("/regex?animal=whole", "regex")]
    [InlineData("/regex?animal=whales", "404")] // the regex must match the whole value
    public async Task QueryParams_PrefixAndRegex_MatchValue(string pathAndQuery, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(pathAndQuery, host: "query.test"));

    [Theory]
    [InlineData("/present?debug", "present")]
    [InlineData("/present?debug=", "present")]
    [InlineData("/present?debug=1", "present")]
    [InlineData("/present?a=1&debug", "present")]
    [InlineData("/present?debugger=1", "404")]
    [InlineData("/present?xdebug", "404")]
    [InlineData("/present", "404")]
    public async Task QueryParams_Presence_MatchesAnyValue(string pathAndQuery, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(pathAndQuery, host: "query.test"));

    [Theory]
    [InlineData("/bare?debug", "bare-key")]
    [InlineData("/bare?debug=", "bare-key")]
    [InlineData("/bare?x=1&debug&y=2", "bare-key")]
    [InlineData("/bare?debug=1", "404")]
    [InlineData("/bare", "404")]
    public async Task QueryParams_ExactEmpty_MatchesBareKeyAndEmptyValue(string pathAndQuery, string expected)
        => Assert.Equal(expected, await _host.RouteAsync(pathAndQuery, host: "query.test"));

    public sealed class Fixture : RoutingFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddRoute("exact", r => r.MatchPath("/exact").MatchQueryParam("animal", exact: "whale").RouteTo("up"))
            .AddRoute("prefix", r => r.MatchPath("/prefix").MatchQueryParam("animal", prefix: "wha").RouteTo("up"))
            .AddRoute("regex", r => r.MatchPath("/regex").MatchQueryParam("animal", regex: "wh.le").RouteTo("up"))
            .AddRoute("present", r => r.MatchPath("/present").MatchQueryParam("debug").RouteTo("up"))
            .AddRoute("bare-key", r => r.MatchPath("/bare").MatchQueryParam("debug", exact: "").RouteTo("up"));
    }
}
