using Gateway.Middleware.Configuration;
using Gateway.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.TestingKit;

/// <summary>Routing decisions from an Istio YAML folder through the real compiled tables, no network.</summary>
public sealed class GatewayRoutingProbeTests : IDisposable
{
    private const string Config = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: bookinfo-gateway}
        spec:
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: [bookinfo.example.com, "*.legacy.example.com"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: bookinfo}
        spec:
          hosts: [bookinfo.example.com]
          gateways: [bookinfo-gateway]
          http:
          - name: jason
            match: [{uri: {prefix: /reviews}, headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - name: reviews
            match: [{uri: {prefix: /reviews}}]
            route:
            - {destination: {host: reviews, subset: v1}, weight: 80}
            - {destination: {host: reviews, subset: v3}, weight: 20}
          - name: health
            match: [{uri: {exact: /healthz}}]
            directResponse: {status: 200, body: {string: ok}}
          - name: productpage
            match: [{uri: {exact: /productpage}}]
            route: [{destination: {host: productpage, port: {number: 9080}}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: legacy}
        spec:
          hosts: ["*.legacy.example.com"]
          gateways: [bookinfo-gateway]
          http:
          - redirect: {authority: bookinfo.example.com, redirectCode: 308}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
          - {name: v3, labels: {version: v3}}
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("kit-probe-").FullName;
    private readonly GatewayRoutingProbe _probe;

    public GatewayRoutingProbeTests()
    {
        File.WriteAllText(Path.Combine(_folder, "bookinfo.yaml"), Config);
        _probe = GatewayRoutingProbe.FromYaml(_folder);
    }

    [Fact]
    public void Jason_GoesToReviewsV2()
    {
        var decision = _probe.Get("http://bookinfo.example.com/reviews/1", ("end-user", "jason"));

        decision.AssertRoutesTo("reviews", subset: "v2");
        Assert.Equal("default/bookinfo/jason", decision.RouteName);
        Assert.Equal("reviews.default.svc.cluster.local", decision.Destination!.Host);
        Assert.Equal(0, decision.Destination.EndpointCount);
    }

    [Fact]
    public void Others_SplitEightyTwenty_V1AndV3()
    {
        var decision = _probe.Get("bookinfo.example.com/reviews/1", ("end-user", "kim"));

        Assert.Equal(2, decision.Destinations.Count);
        decision.AssertRoutesTo("reviews", "v1", weight: 80);
        decision.AssertRoutesTo("reviews.default.svc.cluster.local", "v3", weight: 20);
    }

    [Theory]
    [InlineData("http://bookinfo.example.com/static/../reviews/1", "/reviews/1")] // dot-segments removed before routing
    [InlineData("http://bookinfo.example.com//reviews//1", "/reviews/1")] // merged slashes (the gateway's default)
    [InlineData("http://BOOKINFO.example.com:8080/%72eviews/1", "/reviews/1")] // host case and port ignored, unreserved escape decoded
    public void Path_NormalizedBeforeMatching(string url, string normalized)
    {
        var decision = _probe.Get(url);

        decision.AssertRoutesTo("reviews", "v1");
        Assert.Equal(normalized, decision.NormalizedPath);
    }

    [Fact]
    public void DirectResponseRedirectNotFoundAndBadRequest()
    {
        _probe.Get("http://bookinfo.example.com/healthz").AssertDirectResponse(200, "ok");
        _probe.Get("http://old.legacy.example.com/productpage?u=normal").AssertRedirect("http://bookinfo.example.com/productpage?u=normal", 308);
        _probe.Get("http://bookinfo.example.com/admin").AssertNotFound();
        _probe.Get("http://other.example.com/productpage").AssertNotFound();
        Assert.Equal(RoutingOutcome.BadRequest, _probe.Get("http://bookinfo.example.com/reviews%00/1").Outcome);
        Assert.Equal(9080, _probe.Route("POST", "http://bookinfo.example.com/productpage").AssertRoutesTo("productpage").Port);
    }

    [Fact]
    public void AssertRoutesTo_Wrong_MessageShowsTheDecision()
    {
        var error = Assert.Throws<GatewayAssertionException>(() => _probe.Get("http://bookinfo.example.com/reviews/1").AssertRoutesTo("reviews", "v2"));

        Assert.Equal(
            "Expected the request to be routed to reviews subset v2, but:\n  GET http://bookinfo.example.com/reviews/1 → route 'default/bookinfo/reviews' (bookinfo.yaml#2 VirtualService default/bookinfo: spec.http[1]) → reviews.default.svc.cluster.local subset v1 weight 80 (no endpoints: 503), reviews.default.svc.cluster.local subset v3 weight 20 (no endpoints: 503)",
            error.Message);
    }

    [Fact]
    public void InvalidYaml_ThrowsEveryError()
    {
        File.WriteAllText(Path.Combine(_folder, "broken.yaml"), """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: broken}
            spec:
              hosts: [bookinfo.example.com]
              gateways: [bookinfo-gateway]
              http: [{route: [{destination: {host: reviews}, weight: -1}]}]
            """);

        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayRoutingProbe.FromYaml(_folder));

        Assert.Contains(error.Errors, e => e.Contains("broken.yaml#1 VirtualService default/broken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FromServices_RunningGatewayWithRedirects_SeesRedirectedEndpoints()
    {
        await using var v2 = await FakeUpstream.StartAsync("reviews", "v2");
        await using var gateway = new Configuration.IstioGatewayFactory(_folder, serverPort: 8080).WithFakeUpstreams(v2);
        gateway.StartServer();

        using var probe = GatewayRoutingProbe.FromServices(gateway.Services);

        Assert.Equal(1, probe.Get("http://bookinfo.example.com/reviews/1", ("end-user", "jason")).AssertRoutesTo("reviews", "v2").EndpointCount);
        Assert.Equal(0, probe.Get("http://bookinfo.example.com/reviews/1").AssertRoutesTo("reviews", "v1").EndpointCount);
    }

    public void Dispose()
    {
        _probe.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
