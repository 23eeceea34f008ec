using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing.Conformance;

/// <summary>
/// Gateway API conformance test <c>HTTPExactPathMatching</c> (conformance/tests/httproute-exact-path-matching.go
/// and .yaml): an Exact path is case-sensitive and matches neither a trailing slash nor a longer path.
/// </summary>
public sealed class HttpRouteExactPathMatchingTests : IClassFixture<HttpRouteExactPathMatchingTests.Fixture>
{
    private readonly Fixture _fixture;

    public HttpRouteExactPathMatchingTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("/one", "infra-backend-v1")]
    [InlineData("/two", "infra-backend-v2")]
    [InlineData("/", "404")]
    [InlineData("/one/example", "404")]
    [InlineData("/two/", "404")]
    [InlineData("/Two", "404")]
    public async Task HttpExactPathMatching_ConformanceTable_ExpectedBackend(string path, string expected)
        => Assert.Equal(expected, await _fixture.BackendAsync(path));

    public sealed class Fixture : ConformanceFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddHttpRoute("gateway-conformance-infra/exact-matching", route => route
                .Rule(r => r.MatchPath("/one").RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchPath("/two").RouteTo("infra-backend-v2")));
    }
}
