using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing.Conformance;

/// <summary>
/// Gateway API conformance test <c>HTTPRouteMethodMatching</c> (conformance/tests/httproute-method-matching.go
/// and .yaml): exact method; ORed and ANDed combinations with path and headers; precedence path &gt; method
/// &gt; headers.
/// </summary>
public sealed class HttpRouteMethodMatchingTests : IClassFixture<HttpRouteMethodMatchingTests.Fixture>
{
    private readonly Fixture _fixture;

    public HttpRouteMethodMatchingTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("POST", "/", "", "infra-backend-v1")]
    [InlineData("GET", "/", "", "infra-backend-v2")]
    [InlineData("HEAD", "/", "", "404")]
    // Combinations with core match types.
    [InlineData("GET", "/path1", "", "infra-backend-v1")]
    [InlineData("PUT", "/", "version:one", "infra-backend-v2")]
    [InlineData("POST", "/path2", "version:two", "infra-backend-v3")]
    // ORed matches match when only one of them is used.
    [InlineData("PATCH", "/path3", "", "infra-backend-v1")]
    [InlineData("DELETE", "/path4", "version:three", "infra-backend-v1")]
    // ANDed match types do not match when only some are used.
    [InlineData("PUT", "/", "", "404")]
    [InlineData("DELETE", "/path4", "", "404")]
    // Precedence when several matches hold.
    [InlineData("PATCH", "/path5", "", "infra-backend-v1")]
    [InlineData("PATCH", "/", "version:four", "infra-backend-v2")]
    public async Task HttpRouteMethodMatching_ConformanceTable_ExpectedBackend(string method, string path, string headers, string expected)
        => Assert.Equal(expected, await _fixture.BackendAsync(path, headers, method));

    public sealed class Fixture : ConformanceFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddHttpRoute("gateway-conformance-infra/method-matching", route => route
                .Rule(r => r.MatchMethod("POST").RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchMethod("GET").RouteTo("infra-backend-v2"))
                .Rule(r => r.MatchPathPrefix("/path1").MatchMethod("GET").RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchHeader("version", exact: "one").MatchMethod("PUT").RouteTo("infra-backend-v2"))
                .Rule(r => r.MatchPathPrefix("/path2").MatchHeader("version", exact: "two").MatchMethod("POST").RouteTo("infra-backend-v3"))
                .Rule(r => r
                    .Match(m => m.PathPrefix("/path3").Method(exact: "PATCH"))
                    .Match(m => m.PathPrefix("/path4").Header("version", exact: "three").Method(exact: "DELETE"))
                    .RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchPathPrefix("/path5").RouteTo("infra-backend-v1"))
                .Rule(r => r.MatchMethod("PATCH").RouteTo("infra-backend-v2"))
                .Rule(r => r.MatchHeader("version", exact: "four").RouteTo("infra-backend-v3")));
    }
}
