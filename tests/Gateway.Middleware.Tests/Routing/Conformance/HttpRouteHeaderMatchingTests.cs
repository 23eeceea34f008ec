using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing.Conformance;

/// <summary>
/// Gateway API conformance test <c>HTTPRouteHeaderMatching</c> (conformance/tests/httproute-header-matching.go
/// and .yaml): header names case-insensitive, values exact; most header matches wins, then rule order.
/// </summary>
public sealed class HttpRouteHeaderMatchingTests : IClassFixture<HttpRouteHeaderMatchingTests.Fixture>
{
    private readonly Fixture _fixture;

    public HttpRouteHeaderMatchingTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("Version:one", "infra-backend-v1")]
    [InlineData("Version:two", "infra-backend-v2")]
    [InlineData("Version:two;Color:orange", "infra-backend-v1")]
    [InlineData("Version:two;Color:blue", "infra-backend-v2")]
    [InlineData("Color:orange", "404")]
    [InlineData("Some-Other-Header:one", "404")]
    [InlineData("Color:blue", "infra-backend-v1")]
    [InlineData("Color:green", "infra-backend-v1")]
    [InlineData("Color:red", "infra-backend-v2")]
    [InlineData("Color:yellow", "infra-backend-v2")]
    [InlineData("Color:purple", "404")]
    public async Task HttpRouteHeaderMatching_ConformanceTable_ExpectedBackend(string headers, string expected)
        => Assert.Equal(expected, await _fixture.BackendAsync("/", headers));

    public sealed class Fixture : ConformanceFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddHttpRoute("gateway-conformance-infra/header-matching", route => route
                .Rule(r => r.MatchHeader("version", exact: "one").RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchHeader("version", exact: "two").RouteTo("infra-backend-v2"))
                .Rule(r => r.MatchHeader("version", exact: "two").MatchHeader("color", exact: "orange").RouteTo("infra-backend-v1"))
                .Rule(r => r.Match(m => m.Header("color", exact: "blue")).Match(m => m.Header("color", exact: "green")).RouteTo("infra-backend-v1"))
                .Rule(r => r.Match(m => m.Header("color", exact: "red")).Match(m => m.Header("color", exact: "yellow")).RouteTo("infra-backend-v2")));
    }
}
