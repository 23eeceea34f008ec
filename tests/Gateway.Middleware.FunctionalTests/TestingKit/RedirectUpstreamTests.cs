using System.Net;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.Configuration;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.TestingKit;

/// <summary>
/// RedirectUpstream / WithFakeUpstreams (GatewayUpstreamOverrideOptions underneath): the app's upstreams, however
/// declared, answered by fakes on real sockets, the routes untouched.
/// </summary>
public sealed class RedirectUpstreamTests : IDisposable
{
    // Istio's Bookinfo header routing, with no ServiceEntry: as applied to a cluster, where Kubernetes Services exist.
    private const string Bookinfo = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: bookinfo-gateway}
        spec:
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: ["*"]
          gateways: [bookinfo-gateway]
          http:
          - match: [{headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: reviews, subset: v2, port: {number: 9080}}}]
          - match: [{uri: {prefix: /reviews}}]
            route: [{destination: {host: reviews, subset: v1, port: {number: 9080}}}]
          - route: [{destination: {host: productpage, port: {number: 9080}}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("kit-redirect-").FullName;

    [Fact]
    public async Task YamlWithoutServiceEntries_SubsetsAndShortNamesRedirected_RoutesAsIstio()
    {
        await using var v1 = await FakeUpstream.StartAsync("reviews", "v1");
        await using var v2 = await FakeUpstream.StartAsync("reviews", "v2");
        await using var productpage = await FakeUpstream.StartAsync("productpage");
        await using var gateway = new IstioGatewayFactory(Write("bookinfo.yaml", Bookinfo), serverPort: 8080).WithFakeUpstreams(v1, v2, productpage);
        using var client = gateway.CreateClient();
        using var jason = new HttpRequestMessage(HttpMethod.Get, "/reviews/1") { Headers = { { "end-user", "jason" } } };

        (await client.SendAsync(jason)).Dispose();
        (await client.GetAsync("/reviews/2")).Dispose();
        (await client.GetAsync("/productpage")).Dispose();

        Assert.Equal("/reviews/1", v2.Single().Path);
        Assert.Equal("/reviews/2", v1.Single().Path);
        Assert.Equal("/productpage", productpage.Single().Path);
    }

    [Fact]
    public async Task GatewayApiBackendWithoutServiceEntry_RedirectedByServiceName_ForwardedInsteadOf500()
    {
        var config = Write("httproute.yaml", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: web, namespace: shop}
            spec:
              gatewayClassName: istio
              listeners: [{name: http, port: 8080, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: store, namespace: shop}
            spec:
              parentRefs: [{name: web}]
              rules: [{backendRefs: [{name: store, port: 8080}]}]
            """);
        await using var store = await FakeUpstream.StartAsync("store");
        await using var unredirected = new IstioGatewayFactory(config, serverPort: 8080);
        await using var gateway = unredirected.WithFakeUpstreams(store);

        using var before = await unredirected.CreateClient().GetAsync("/cart");
        using var after = await gateway.CreateClient().GetAsync("/cart");

        Assert.Equal(HttpStatusCode.InternalServerError, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        store.AssertReceived(r => r.Path == "/cart");
    }

    [Fact]
    public async Task BuilderUpstream_ServiceAndSubsetRedirected_SubsetGoesToItsFake_OtherSubsetsToServiceFake()
    {
        await using var all = await FakeUpstream.StartAsync("reviews");
        await using var v2 = await FakeUpstream.StartAsync("reviews", "v2");
        await using var gateway = await GatewayHost.StartAsync(g =>
        {
            g.AddUpstream("reviews", u => u
                    .Endpoint("http://192.0.2.1:9080", ("version", "v1"))
                    .Endpoint("http://192.0.2.2:9080", ("version", "v2"))
                    .Subset("v1", ("version", "v1"))
                    .Subset("v2", ("version", "v2")))
                .AddRoute("jason", r => r.MatchHeader("end-user", "jason").RouteTo("reviews", subset: "v2"))
                .AddRoute("others", r => r.RouteTo("reviews", subset: "v1"));
            g.Services.RedirectUpstreams(all, v2);
        });
        using var client = gateway.CreateClient();
        using var jason = new HttpRequestMessage(HttpMethod.Get, "/r") { Headers = { { "end-user", "jason" } } };

        using var toV2 = await client.SendAsync(jason);
        using var toV1 = await client.GetAsync("/r");

        Assert.Equal("reviews/v2", Assert.Single(toV2.Headers.GetValues(FakeUpstream.ResponseHeader)));
        Assert.Equal("reviews", Assert.Single(toV1.Headers.GetValues(FakeUpstream.ResponseHeader)));
    }

    [Fact]
    public async Task TlsUpstream_RedirectedToPlainFake_SpokenToInPlainText()
    {
        using var ca = TestCertificateAuthority.Create();
        await using var fake = await FakeUpstream.StartAsync("payments");
        await using var gateway = await GatewayHost.StartAsync(g =>
        {
            g.AddUpstream("payments", u => u.Endpoint("https://payments.example.com:443").TrustedRootCertificates(ca.Certificate))
                .AddRoute("payments", r => r.RouteTo("payments"));
            g.Services.RedirectUpstream("payments", fake);
        });

        using var response = await gateway.CreateClient().GetAsync("/pay");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http", fake.Single().Scheme);
    }

    [Fact]
    public async Task DestinationRuleTls_TopPortAndSubsetLevel_RedirectedToPlainFake_SpokenToInPlainText()
    {
        var config = Write("bookinfo.yaml", Bookinfo.Replace("""
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """, """
          trafficPolicy:
            tls: {mode: SIMPLE}
            portLevelSettings: [{port: {number: 9080}, tls: {mode: SIMPLE, sni: reviews.internal}}]
          subsets:
          - {name: v1, labels: {version: v1}, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}
          - {name: v2, labels: {version: v2}}
        """, StringComparison.Ordinal));
        Assert.Contains("ISTIO_MUTUAL", File.ReadAllText(Path.Combine(config, "bookinfo.yaml")), StringComparison.Ordinal);
        await using var reviews = await FakeUpstream.StartAsync("reviews");
        await using var gateway = new IstioGatewayFactory(config, serverPort: 8080).WithFakeUpstreams(reviews);
        using var client = gateway.CreateClient();
        using var jason = new HttpRequestMessage(HttpMethod.Get, "/reviews/1") { Headers = { { "end-user", "jason" } } };

        using var v1 = await client.GetAsync("/reviews/1");
        using var v2 = await client.SendAsync(jason);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (v1.StatusCode, v2.StatusCode));
        Assert.Equal(2, reviews.RequestCount);
    }

    [Fact]
    public async Task MutualTlsUpstream_RedirectedToTlsFake_FakeSeesGatewayClientCertificate()
    {
        using var ca = TestCertificateAuthority.Create();
        using var server = ca.IssueServerCertificate("reviews.internal");
        using var identity = ca.IssueClientCertificate("gateway", "spiffe://cluster.local/ns/istio-system/sa/ingressgateway");
        await using var fake = await FakeUpstream.StartAsync("reviews", o =>
        {
            o.ServerCertificate = server;
            o.RequireClientCertificate = true;
            o.ClientCertificateAuthority = ca.Certificate;
        });
        await using var gateway = await GatewayHost.StartAsync(g =>
        {
            g.AddUpstream("reviews", u => u.Endpoint("https://reviews.internal:9443").MutualTls(identity, ca.Certificate).Sni("reviews.internal"))
                .AddRoute("reviews", r => r.RouteTo("reviews"));
            g.Services.RedirectUpstream("reviews", fake);
        });

        using var response = await gateway.CreateClient().GetAsync("/reviews/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = fake.Single();
        Assert.Equal("https", received.Scheme);
        Assert.Equal(identity.Thumbprint, received.ClientCertificate!.Thumbprint);
    }

    [Fact]
    public async Task Reload_RedirectAppliedToTheNewConfiguration()
    {
        var port = Forwarding.ErrorMappingTests.GetClosedPort();
        const string Route = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              servers: [{port: {number: $PORT, name: http, protocol: HTTP}, hosts: ["*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http: [{match: [{uri: {prefix: $PREFIX}}], route: [{destination: {host: reviews}}]}]
            """;
        var folder = Write("reviews.yaml", Route.Replace("$PORT", $"{port}", StringComparison.Ordinal).Replace("$PREFIX", "/v1", StringComparison.Ordinal));
        await using var reviews = await FakeUpstream.StartAsync("reviews");
        await using var gateway = await GatewayHost.StartAsync(g => g.LoadIstioYaml(folder, watch: false).Services.RedirectUpstreams(reviews), port: port);
        using var client = gateway.CreateClient();

        Write("reviews.yaml", Route.Replace("$PORT", $"{port}", StringComparison.Ordinal).Replace("$PREFIX", "/v2", StringComparison.Ordinal));
        Assert.True(gateway.Services.GetRequiredService<GatewayConfigProvider>().Reload());
        using var response = await client.GetAsync("/v2/reviews/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/v2/reviews/1", reviews.Single().Path);
    }

    [Fact]
    public async Task UnknownUpstreamOrSubset_StartFails_ErrorListsWhatExists()
    {
        await using var fake = await FakeUpstream.StartAsync("reviewz");
        await using var subsetFake = await FakeUpstream.StartAsync("reviews", "v9");
        await using var factory = new IstioGatewayFactory(Write("bookinfo.yaml", Bookinfo), serverPort: 8080).WithFakeUpstreams(fake, subsetFake);

        var error = Assert.Throws<GatewayConfigurationException>(() => factory.CreateClient());

        Assert.Contains("upstream override 'reviewz': no upstream is named 'reviewz' (upstreams: reviews.default.svc.cluster.local, productpage.default.svc.cluster.local)", error.Errors);
        Assert.Contains("upstream override 'reviews' subset 'v9': upstream 'reviews.default.svc.cluster.local' has no subset 'v9' (subsets: v1, v2)", error.Errors);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string yaml)
    {
        File.WriteAllText(Path.Combine(_folder, name), yaml);
        return _folder;
    }
}
