using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing.Conformance;

/// <summary>
/// Gateway API conformance test <c>HTTPRouteMatching</c> (conformance/tests/httproute-matching.go and .yaml):
/// path and header matches ORed in one rule; the longer prefix, then the match with more headers, wins.
/// </summary>
public sealed class HttpRouteMatchingTests : IClassFixture<HttpRouteMatchingTests.Fixture>
{
    private readonly Fixture _fixture;

    public HttpRouteMatchingTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("/", "", "infra-backend-v1")]
    [InlineData("/example", "", "infra-backend-v1")]
    [InlineData("/", "Version:one", "infra-backend-v1")]
    [InlineData("/v2", "", "infra-backend-v2")]
    [InlineData("/v2/example", "", "infra-backend-v2")]
    [InlineData("/", "Version:two", "infra-backend-v2")]
    public async Task HttpRouteMatching_ConformanceTable_ExpectedBackend(string path, string headers, string expected)
        => Assert.Equal(expected, await _fixture.BackendAsync(path, headers));

    [Theory]
    [InlineData("/v2example", "infra-backend-v1")] // PathPrefix /v2 is segment-wise, so only / applies
    [InlineData("/v2/", "infra-backend-v2")]
    public async Task HttpRouteMatching_SegmentPrefixOnSameManifest_ExpectedBackend(string path, string expected)
        => Assert.Equal(expected, await _fixture.BackendAsync(path));

    public sealed class Fixture : ConformanceFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddHttpRoute("gateway-conformance-infra/matching", route => route
                .Rule(r => r.Match(m => m.PathPrefix("/")).Match(m => m.Header("version", exact: "one")).RouteTo("infra-backend-v1"))
                .Rule(r => r.Match(m => m.PathPrefix("/v2")).Match(m => m.Header("version", exact: "two")).RouteTo("infra-backend-v2")));
    }
}
