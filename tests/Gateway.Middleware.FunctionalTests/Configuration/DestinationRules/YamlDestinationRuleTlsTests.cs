using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.FunctionalTests.UpstreamTls;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Configuration.DestinationRules;

/// <summary>
/// DestinationRule <c>trafficPolicy.tls</c> from YAML, end to end: a ServiceEntry's STATIC endpoints are real
/// Kestrel upstreams (TLS, some requiring client certificates), the certificates are PEM files next to the YAML
/// named by relative paths, and what the upstream saw of the connection comes back in its response headers
/// (<c>x-scheme</c>, <c>x-sni</c>, <c>x-client-san</c>).
/// </summary>
public sealed class YamlDestinationRuleTlsTests : IDisposable
{
    private const string GatewaySpiffe = "spiffe://cluster.local/ns/istio-system/sa/gateway";

    private readonly YamlFolder _folder = new();
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("mesh-ca");
    private readonly X509Certificate2 _server;

    public YamlDestinationRuleTlsTests()
    {
        _server = TestCertificates.CreateLeaf(_ca, "reviews", ["reviews.internal"], "spiffe://cluster.local/ns/default/sa/reviews");
        TestCertificates.WriteBundle(_folder.Certificates, "ca", _ca);
        using var otherCa = TestCertificates.CreateCa("other-ca");
        TestCertificates.WriteBundle(_folder.Certificates, "other-ca", otherCa);
        using var client = TestCertificates.CreateLeaf(_ca, "gateway", ["gateway.internal"], GatewaySpiffe);
        TestCertificates.WritePem(client, _folder.Certificates, "client");
    }

    /// <summary>Istio's TLS origination task: a plain-text ServiceEntry port, and the DestinationRule makes it TLS.</summary>
    [Fact]
    public async Task Simple_CaCertificatesAndSni_200OverTlsWithThatSni()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server);

        using var response = await GetThroughAsync(upstream, "{mode: SIMPLE, caCertificates: certs/ca.pem, sni: reviews.internal}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https", Header(response, "x-scheme"));
        Assert.Equal("reviews.internal", Header(response, "x-sni"));
    }

    [Fact]
    public async Task Simple_WrongCa_503TlsError()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server);

        using var response = await GetThroughAsync(upstream, "{mode: SIMPLE, caCertificates: certs/other-ca.pem, sni: reviews.internal}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("transport failure reason: TLS error: certificate chain untrusted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simple_SubjectAltNameNotInCertificate_503TlsError()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server);

        using var response = await GetThroughAsync(upstream, "{mode: SIMPLE, caCertificates: certs/ca.pem, sni: reviews.internal, subjectAltNames: [spiffe://cluster.local/ns/default/sa/ratings]}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("TLS error: certificate name mismatch", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutual_ClientCertificateFiles_UpstreamRequiringThemSeesGatewayUriSan()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server, clientCa: _ca);

        using var response = await GetThroughAsync(upstream, "{mode: MUTUAL, clientCertificate: certs/client.crt, privateKey: certs/client.key, caCertificates: certs/ca.pem, sni: reviews.internal}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatewaySpiffe, Header(response, "x-client-san"));
    }

    /// <summary>A watched folder: a DestinationRule that turns TLS on is applied, and the next request goes over TLS.</summary>
    [Fact]
    public async Task HotReload_DisableToSimple_NextRequestOverTls()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server);
        _folder.Write(YamlFolder.Mesh("tls: {mode: DISABLE}", upstream.Port));
        await using var gateway = await _folder.StartAsync(watch: true);
        using var client = gateway.CreateClient();
        using (var plain = await YamlFolder.GetAsync(client))
        {
            // Plain text to a TLS port: Kestrel's TLS listener drops it, the gateway answers 503.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, plain.StatusCode);
        }

        Assert.True(await _folder.ReloadAsync(gateway, YamlFolder.Mesh("tls: {mode: SIMPLE, caCertificates: certs/ca.pem, sni: reviews.internal}", upstream.Port)));

        using var response = await YamlFolder.GetAsync(client);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https", Header(response, "x-scheme"));
    }

    /// <summary>ISTIO_MUTUAL: the workload certificate, key and root come from the mesh identity configured once in Program.cs.</summary>
    [Fact]
    public async Task IstioMutual_MeshIdentity_UpstreamSeesGatewaySpiffeId()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server, clientCa: _ca);
        _folder.Write(YamlFolder.Mesh("tls: {mode: ISTIO_MUTUAL, sni: reviews.internal}", upstream.Port));
        await using var gateway = await _folder.StartAsync(configure: g => g.ConfigureMeshIdentity(o =>
        {
            o.CertificateChainPath = Path.Combine(_folder.Certificates, "client.crt");
            o.PrivateKeyPath = Path.Combine(_folder.Certificates, "client.key");
            o.CaCertificatesPath = Path.Combine(_folder.Certificates, "ca.pem");
        }));
        using var client = gateway.CreateClient();

        using var response = await YamlFolder.GetAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatewaySpiffe, Header(response, "x-client-san"));
    }

    /// <summary>The same upstream with SIMPLE: no client certificate to present, so the handshake fails.</summary>
    [Fact]
    public async Task Simple_ToUpstreamRequiringClientCertificate_503TlsError()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server, clientCa: _ca);

        using var response = await GetThroughAsync(upstream, "{mode: SIMPLE, caCertificates: certs/ca.pem, sni: reviews.internal}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("TLS error: ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Istio's MergeTrafficPolicy: a subset's <c>tls</c> replaces the top level's (top DISABLE, subset v2 SIMPLE),
    /// and a <c>portLevelSettings</c> entry replaces it for its port (top SIMPLE, port 80 DISABLE).
    /// </summary>
    [Theory]
    [InlineData("/v1", "http")]
    [InlineData("/v2", "https")]
    [InlineData("/ratings/80", "http")]
    [InlineData("/ratings/8443", "https")]
    public async Task SubsetAndPortLevelTls_OverrideTheTopLevel(string path, string scheme)
    {
        await using var plain = await TlsUpstream.StartPlainAsync();
        await using var secure = await TlsUpstream.StartAsync(_server);
        _folder.Write(Overrides, ("PLAIN", plain.Port), ("SECURE", secure.Port));
        await using var gateway = await _folder.StartAsync();
        using var client = gateway.CreateClient();

        using var response = await YamlFolder.GetAsync(client, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(scheme, Header(response, "x-scheme"));
    }

    public void Dispose()
    {
        _server.Dispose();
        _ca.Dispose();
        _folder.Dispose();
    }

    /// <summary>A request through a gateway whose DestinationRule for the STATIC endpoint <paramref name="upstream"/> has <paramref name="tls"/>.</summary>
    private async Task<HttpResponseMessage> GetThroughAsync(TestUpstream upstream, string tls)
    {
        _folder.Write(YamlFolder.Mesh("tls: " + tls, upstream.Port));
        await using var gateway = await _folder.StartAsync();
        using var client = gateway.CreateClient();
        return await YamlFolder.GetAsync(client);
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private const string Overrides = YamlFolder.Gateway + """

        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: mesh}
        spec:
          hosts: [mesh.example.com]
          gateways: [gw]
          http:
          - match: [{uri: {exact: /v1}}]
            route: [{destination: {host: reviews, subset: v1}}]
          - match: [{uri: {exact: /v2}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - match: [{uri: {exact: /ratings/80}}]
            route: [{destination: {host: ratings, port: {number: 80}}}]
          - match: [{uri: {exact: /ratings/8443}}]
            route: [{destination: {host: ratings, port: {number: 8443}}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 80, name: http, protocol: HTTP}]
          endpoints:
          - {address: 127.0.0.1, ports: {http: $PLAIN}, labels: {version: v1}}
          - {address: 127.0.0.1, ports: {http: $SECURE}, labels: {version: v2}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews.default.svc.cluster.local
          trafficPolicy:
            tls: {mode: DISABLE}
          subsets:
          - {name: v1, labels: {version: v1}}
          - name: v2
            labels: {version: v2}
            trafficPolicy:
              tls: {mode: SIMPLE, caCertificates: certs/ca.pem, sni: reviews.internal}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: ratings}
        spec:
          hosts: [ratings.default.svc.cluster.local]
          resolution: STATIC
          ports:
          - {number: 80, name: http, protocol: HTTP}
          - {number: 8443, name: http-secure, protocol: HTTP}
          endpoints: [{address: 127.0.0.1, ports: {http: $PLAIN, http-secure: $SECURE}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: ratings}
        spec:
          host: ratings.default.svc.cluster.local
          trafficPolicy:
            tls: {mode: SIMPLE, caCertificates: certs/ca.pem, sni: reviews.internal}
            portLevelSettings:
            - port: {number: 80}
              tls: {mode: DISABLE}
        """;
}
