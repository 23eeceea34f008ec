using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing.Conformance;

/// <summary>
/// Gateway API conformance test <c>HTTPRouteQueryParamMatching</c>
/// (conformance/tests/httproute-query-param-matching.go and .yaml): names and values exact and
/// case-sensitive; ORed and ANDed combinations with path and headers; precedence path &gt; headers &gt; query.
/// </summary>
public sealed class HttpRouteQueryParamMatchingTests : IClassFixture<HttpRouteQueryParamMatchingTests.Fixture>
{
    private readonly Fixture _fixture;

    public HttpRouteQueryParamMatchingTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("/?animal=whale", "", "infra-backend-v1")]
    [InlineData("/?animal=dolphin", "", "infra-backend-v2")]
    [InlineData("/?animal=dolphin&color=blue", "", "infra-backend-v3")]
    [InlineData("/?ANIMAL=Whale", "", "infra-backend-v3")]
    [InlineData("/?animal=whale&otherparam=irrelevant", "", "infra-backend-v1")]
    [InlineData("/?animal=dolphin&color=yellow", "", "infra-backend-v2")]
    [InlineData("/?color=blue", "", "404")]
    [InlineData("/?animal=dog", "", "404")]
    [InlineData("/?animal=whaledolphin", "", "404")]
    [InlineData("/", "", "404")]
    // Combinations with core match types.
    [InlineData("/path1?animal=whale", "", "infra-backend-v1")]
    [InlineData("/?animal=whale", "version:one", "infra-backend-v2")]
    [InlineData("/path2?animal=whale", "version:two", "infra-backend-v3")]
    // ORed matches match when only one of them is used.
    [InlineData("/path3?animal=shark", "", "infra-backend-v1")]
    [InlineData("/path4?animal=kraken", "version:three", "infra-backend-v1")]
    // ANDed match types do not match when only some are used.
    [InlineData("/?animal=shark", "", "404")]
    [InlineData("/path4?animal=kraken", "", "404")]
    // Precedence when several matches hold.
    [InlineData("/path5?animal=hydra", "", "infra-backend-v1")]
    [InlineData("/?animal=hydra", "version:four", "infra-backend-v3")]
    public async Task HttpRouteQueryParamMatching_ConformanceTable_ExpectedBackend(string pathAndQuery, string headers, string expected)
        => Assert.Equal(expected, await _fixture.BackendAsync(pathAndQuery, headers));

    public sealed class Fixture : ConformanceFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddHttpRoute("gateway-conformance-infra/query-param-matching", route => route
                .Rule(r => r.MatchQueryParam("animal", exact: "whale").RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchQueryParam("animal", exact: "dolphin").RouteTo("infra-backend-v2"))
                .Rule(r => r
                    .Match(m => m.QueryParam("animal", exact: "dolphin").QueryParam("color", exact: "blue"))
                    .Match(m => m.QueryParam("ANIMAL", exact: "Whale"))
                    .RouteTo("infra-backend-v3"))
                .Rule(r => r.MatchPathPrefix("/path1").MatchQueryParam("animal", exact: "whale").RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchHeader("version", exact: "one").MatchQueryParam("animal", exact: "whale").RouteTo("infra-backend-v2"))
                .Rule(r => r.MatchPathPrefix("/path2").MatchHeader("version", exact: "two").MatchQueryParam("animal", exact: "whale").RouteTo("infra-backend-v3"))
                .Rule(r => r
                    .Match(m => m.PathPrefix("/path3").QueryParam("animal", exact: "shark"))
                    .Match(m => m.PathPrefix("/path4").Header("version", exact: "three").QueryParam("animal", exact: "kraken"))
                    .RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchPathPrefix("/path5").RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchQueryParam("animal", exact: "hydra").RouteTo("infra-backend-v2"))
                .Rule(r => r.MatchHeader("version", exact: "four").RouteTo("infra-backend-v3")));
    }
}
