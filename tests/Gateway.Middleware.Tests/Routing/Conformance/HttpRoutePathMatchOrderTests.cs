using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing.Conformance;

/// <summary>
/// Gateway API conformance test <c>HTTPRoutePathMatchOrder</c> (conformance/tests/httproute-path-match-order.go
/// and .yaml): an Exact path beats any prefix, and the longest PathPrefix wins, whatever the rule order.
/// </summary>
public sealed class HttpRoutePathMatchOrderTests : IClassFixture<HttpRoutePathMatchOrderTests.Fixture>
{
    private readonly Fixture _fixture;

    public HttpRoutePathMatchOrderTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("/match/exact/one", "infra-backend-v3")]
    [InlineData("/match/exact", "infra-backend-v2")]
    [InlineData("/match", "infra-backend-v1")]
    [InlineData("/match/prefix/one/any", "infra-backend-v2")]
    [InlineData("/match/prefix/any", "infra-backend-v1")]
    [InlineData("/match/any", "infra-backend-v3")]
    public async Task HttpRoutePathMatchOrder_ConformanceTable_ExpectedBackend(string path, string expected)
        => Assert.Equal(expected, await _fixture.BackendAsync(path));

    public sealed class Fixture : ConformanceFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddHttpRoute("gateway-conformance-infra/path-matching-order", route => route
                .Rule(r => r.MatchPath("/match").RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchPath("/match/exact").RouteTo("infra-backend-v2"))
                .Rule(r => r.MatchPath("/match/exact/one").RouteTo("infra-backend-v3"))
                .Rule(r => r.MatchPathPrefix("/match/").RouteTo("infra-backend-v3"))
                .Rule(r => r.MatchPathPrefix("/match/prefix/").RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchPathPrefix("/match/prefix/one").RouteTo("infra-backend-v2")));
    }
}
