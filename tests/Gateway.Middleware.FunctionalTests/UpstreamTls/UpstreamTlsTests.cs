using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Diagnostics;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.Upstreams;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.UpstreamTls;

/// <summary>
/// TLS origination to real Kestrel upstreams (Istio DestinationRule <c>trafficPolicy.tls</c>, ClientTLSSettings):
/// SIMPLE, MUTUAL, ISTIO_MUTUAL, DISABLE and insecureSkipVerify succeed; every verification failure is a 503
/// with Envoy's text and a specific reason, and nothing is sent in clear.
/// </summary>
public sealed class UpstreamTlsTests : IDisposable
{
    private const string TlsError = "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: ";
    private const string ReviewsSpiffe = "spiffe://cluster.local/ns/default/sa/reviews";
    private const string GatewaySpiffe = "spiffe://cluster.local/ns/istio-system/sa/gateway";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "upstream-tls-" + Guid.NewGuid().ToString("N"));
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("mesh-ca");
    private readonly X509Certificate2 _otherCa = TestCertificates.CreateCa("other-ca");
    private readonly X509Certificate2 _server;
    private readonly X509Certificate2 _client;
    private readonly string _caPath;
    private readonly string _clientCertPath;
    private readonly string _clientKeyPath;

    public UpstreamTlsTests()
    {
        _server = TestCertificates.CreateLeaf(_ca, "reviews", ["reviews.internal", "localhost"], ReviewsSpiffe);
        _client = TestCertificates.CreateLeaf(_ca, "gateway", ["gateway.internal"], GatewaySpiffe);
        _caPath = TestCertificates.WriteBundle(_directory, "ca", _ca);
        (_clientCertPath, _clientKeyPath) = TestCertificates.WritePem(_client, _directory, "client");
    }

    [Fact]
    public async Task Simple_CaFileAndSniOnHttpEndpoint_200OverTlsWithConfiguredSni()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server);
        // ServiceEntry endpoints are written http://addr:port: the DestinationRule's SIMPLE makes them TLS.
        await using var gateway = await StartAsync($"http://127.0.0.1:{upstream.Port}", t => t.CaCertificates(_caPath).Sni("reviews.internal"));

        using var response = await SendAsync(gateway, host: "bookinfo.example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("reviews.internal", Header(response, "x-sni"));
        Assert.Equal("https", Header(response, "x-scheme"));
    }

    [Fact]
    public async Task Simple_NoSni_SendsEndpointHostNotClientHost()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server);
        await using var gateway = await StartAsync($"https://localhost:{upstream.Port}", t => t.TrustedRoots(_ca));

        using var response = await SendAsync(gateway, host: "bookinfo.example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("localhost", Header(response, "x-sni"));
    }

    [Fact]
    public async Task Simple_SubjectAltNameSpiffe_200()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server);
        await using var gateway = await StartAsync(upstream.Address, t => t.CaCertificates(_caPath).SubjectAltNames("spiffe://cluster.local/ns/default/sa/other", ReviewsSpiffe));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Simple_Http2Upstream_NegotiatesH2ByAlpn()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server, protocols: HttpProtocols.Http2);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).Protocol(UpstreamProtocol.Http2).Tls(t => t.CaCertificates(_caPath).Sni("reviews.internal")))
            .AddRoute("all", r => r.RouteTo("reviews")));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HTTP/2", Header(response, "x-protocol"));
        Assert.Equal("reviews.internal", Header(response, "x-sni"));
    }

    [Theory]
    [InlineData(HttpProtocols.Http1AndHttp2, "HTTP/2")]
    [InlineData(HttpProtocols.Http1, "HTTP/1.1")]
    public async Task Simple_AutoProtocol_AlpnPicksWhatTheUpstreamSpeaks(HttpProtocols upstreamProtocols, string expected)
    {
        await using var upstream = await TlsUpstream.StartAsync(_server, protocols: upstreamProtocols);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).Protocol(UpstreamProtocol.Auto).Tls(t => t.TrustedRoots(_ca)))
            .AddRoute("all", r => r.RouteTo("reviews")));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, Header(response, "x-protocol"));
    }

    [Fact]
    public async Task Mutual_ClientCertificateFiles_UpstreamSeesGatewayUriSan()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server, clientCa: _ca);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).MutualTls(_clientCertPath, _clientKeyPath, _caPath))
            .AddRoute("all", r => r.RouteTo("reviews")));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatewaySpiffe, Header(response, "x-client-san"));
    }

    [Fact]
    public async Task Mutual_InMemoryCertificate_UpstreamSeesGatewayUriSan()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server, clientCa: _ca);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).MutualTls(_client, _ca))
            .AddRoute("all", r => r.RouteTo("reviews")));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatewaySpiffe, Header(response, "x-client-san"));
    }

    [Fact]
    public async Task IstioMutual_MeshIdentity_PresentsWorkloadCertAndAcceptsTrustDomain()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server, clientCa: _ca);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .ConfigureMeshIdentity(ConfigureMesh)
            .AddUpstream("reviews", u => u.Endpoint($"http://127.0.0.1:{upstream.Port}").Tls(t => t.IstioMutual()))
            .AddRoute("all", r => r.RouteTo("reviews")));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatewaySpiffe, Header(response, "x-client-san"));
    }

    [Fact]
    public async Task IstioMutual_PeerOutsideTrustDomain_503NameMismatch()
    {
        using var foreign = TestCertificates.CreateLeaf(_ca, "reviews", ["localhost"], "spiffe://other.domain/ns/default/sa/reviews");
        await using var upstream = await TlsUpstream.StartAsync(foreign, clientCa: _ca);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .ConfigureMeshIdentity(ConfigureMesh)
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).Tls(t => t.IstioMutual()))
            .AddRoute("all", r => r.RouteTo("reviews")));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TlsError + "certificate name mismatch: expected a URI SAN spiffe://cluster.local/... not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Simple_WrongCa_503ChainUntrustedLoggedAndNothingSent()
    {
        using var foreign = TestCertificates.CreateLeaf(_otherCa, "reviews", ["localhost"]);
        await using var upstream = await TlsUpstream.StartAsync(foreign);
        var logs = new LogRecorder();
        await using var gateway = await StartAsync(upstream.Address, t => t.CaCertificates(_caPath), logs);

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TlsError + "certificate chain untrusted: unable to get local issuer certificate", await response.Content.ReadAsStringAsync());
        var logged = await logs.WaitForAsync(EventIds.UpstreamTlsHandshakeFailed, TimeSpan.FromSeconds(10));
        Assert.Contains("upstream reviews: TLS handshake with 127.0.0.1:", logged, StringComparison.Ordinal);
        Assert.EndsWith("TLS error: certificate chain untrusted: unable to get local issuer certificate", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simple_SanMismatch_503NamesExpectedSan()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server);
        await using var gateway = await StartAsync(upstream.Address, t => t.CaCertificates(_caPath).SubjectAltNames("spiffe://cluster.local/ns/default/sa/ratings"));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TlsError + "certificate name mismatch: expected SAN spiffe://cluster.local/ns/default/sa/ratings not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Simple_SniNotInCertificate_503NameMismatch()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server);
        await using var gateway = await StartAsync(upstream.Address, t => t.CaCertificates(_caPath).Sni("ratings.internal"));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TlsError + "certificate name mismatch: the certificate is not valid for 'ratings.internal'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Simple_ExpiredServerCertificate_503CertificateExpired()
    {
        using var oldCa = TestCertificates.CreateCa("old-ca", age: TimeSpan.FromDays(7));
        using var expired = TestCertificates.CreateLeaf(oldCa, "reviews", ["localhost"], expired: true);
        await using var upstream = await TlsUpstream.StartAsync(expired);
        await using var gateway = await StartAsync(upstream.Address, t => t.TrustedRoots(oldCa));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TlsError + "certificate expired", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Simple_UpstreamRequiresClientCertificate_503NoClientCertificate()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server, clientCa: _ca);
        var logs = new LogRecorder();
        await using var gateway = await StartAsync(upstream.Address, t => t.CaCertificates(_caPath), logs);

        using var response = await SendAsync(gateway);

        Assert.EndsWith("TLS error: the upstream requires a client certificate and none is configured (tls mode MUTUAL or ISTIO_MUTUAL)", await logs.WaitForAsync(EventIds.UpstreamTlsHandshakeFailed, TimeSpan.FromSeconds(10)), StringComparison.Ordinal);

        // TLS 1.3: the upstream refuses only after the gateway's handshake completed; still a TLS error.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TlsError + "the upstream requires a client certificate and none is configured (tls mode MUTUAL or ISTIO_MUTUAL)", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mutual_ClientCertificateFromOtherCa_503ConnectionTermination()
    {
        using var stranger = TestCertificates.CreateLeaf(_otherCa, "gateway", ["gateway.internal"], GatewaySpiffe);
        await using var upstream = await TlsUpstream.StartAsync(_server, clientCa: _ca);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).MutualTls(stranger, _ca))
            .AddRoute("all", r => r.RouteTo("reviews")));

        using var response = await SendAsync(gateway);

        // TLS 1.3: the upstream's refusal arrives as the connection closing after the gateway's handshake.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("upstream connect error or disconnect/reset before headers. reset reason: connection termination", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Disable_TlsUpstreamPort_503ConnectionTermination()
    {
        await using var upstream = await TlsUpstream.StartAsync(_server);
        await using var gateway = await StartAsync(upstream.Address, t => t.Disable());

        using var response = await SendAsync(gateway);

        // Envoy's answer when a plain-text request meets a TLS port: the upstream drops the connection.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("upstream connect error or disconnect/reset before headers. reset reason: connection termination", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Simple_PlainUpstreamPort_503TlsError()
    {
        await using var upstream = await TlsUpstream.StartPlainAsync();
        await using var gateway = await StartAsync(upstream.Address, t => t.CaCertificates(_caPath));

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith(TlsError + "handshake failed: ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disable_HttpsAddressOfPlainUpstream_200InPlainText()
    {
        await using var upstream = await TlsUpstream.StartPlainAsync();
        await using var gateway = await StartAsync($"https://127.0.0.1:{upstream.Port}", t => t.Disable());

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http", Header(response, "x-scheme"));
    }

    [Fact]
    public async Task InsecureSkipVerify_UntrustedAndMisnamedCertificate_200AndWarningAtLoad()
    {
        using var foreign = TestCertificates.CreateLeaf(_otherCa, "somewhere", ["somewhere.else"]);
        await using var upstream = await TlsUpstream.StartAsync(foreign);
        var logs = new LogRecorder();
        await using var gateway = await StartAsync(upstream.Address, t => t.InsecureSkipVerify(), logs);

        using var response = await SendAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var warning = Assert.Single(logs.Records, r => r.Id == EventIds.UpstreamTlsInsecureSkipVerify);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith("upstream reviews: insecureSkipVerify", warning.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
        _ca.Dispose();
        _otherCa.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void ConfigureMesh(GatewayMeshIdentityOptions options)
    {
        options.CertificateChainPath = _clientCertPath;
        options.PrivateKeyPath = _clientKeyPath;
        options.CaCertificatesPath = _caPath;
        options.TrustDomain = "cluster.local";
    }

    private static Task<GatewayHost> StartAsync(string endpoint, Action<GatewayUpstreamTlsBuilder> tls, LogRecorder? logs = null)
        => GatewayHost.StartAsync(g =>
        {
            if (logs is not null)
            {
                g.Services.AddSingleton<ILoggerProvider>(logs);
            }

            g.AddUpstream("reviews", u => u.Endpoint(endpoint).Tls(tls)).AddRoute("all", r => r.RouteTo("reviews"));
        });

    private static async Task<HttpResponseMessage> SendAsync(GatewayHost gateway, string host = "localhost")
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reviews/1") { Headers = { Host = host } };
        return await client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
