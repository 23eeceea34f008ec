using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Builder;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Tls;

/// <summary>
/// Istio <c>Gateway.servers[].tls</c> served by <c>UseGatewayTls()</c> on real Kestrel: certificates by SNI,
/// MUTUAL / OPTIONAL_MUTUAL client certificates, protocol versions, HTTP/2 by ALPN, 421 across servers.
/// </summary>
public sealed class GatewayTlsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("gateway-tls-");
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("gateway-ca");
    private readonly X509Certificate2 _otherCa = TestCertificates.CreateCa("other-ca");

    public void Dispose()
    {
        _folder.Delete(recursive: true);
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Fact]
    public async Task Sni_TwoHostsWithOwnCertificates_EachPresentedForItsHost()
    {
        var (aCert, aKey) = Leaf("a", "a.example.com");
        var (bCert, bKey) = Leaf("b", "*.b.example.com");
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TlsGateway.StartAsync(g => Route(g, upstream)
            .AddServer("a", s => s.Hosts("a.example.com").Tls(t => t.Certificate(aCert, aKey)))
            .AddServer("b", s => s.Hosts("*.b.example.com").Tls(t => t.Certificate(bCert, bKey))));

        Assert.Equal("CN=a", (await TlsClient.PresentedCertificateAsync(gateway.TlsPort, "a.example.com")).Subject);
        Assert.Equal("CN=b", (await TlsClient.PresentedCertificateAsync(gateway.TlsPort, "x.b.example.com")).Subject);

        // No server declares the name: the port's first server answers the handshake (Envoy's default chain).
        Assert.Equal("CN=a", (await TlsClient.PresentedCertificateAsync(gateway.TlsPort, "unknown.example.org")).Subject);
        var (response, _) = await TlsClient.TryGetAsync(gateway.TlsPort, "x.b.example.com");
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sni_AuthorityOfAnotherServer_421()
    {
        var (aCert, aKey) = Leaf("a", "a.example.com");
        var (bCert, bKey) = Leaf("b", "b.example.com");
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TlsGateway.StartAsync(g => Route(g, upstream)
            .AddServer("a", s => s.Hosts("a.example.com").Tls(t => t.Certificate(aCert, aKey)))
            .AddServer("b", s => s.Hosts("b.example.com").Tls(t => t.Certificate(bCert, bKey))));

        var (same, _) = await TlsClient.TryGetAsync(gateway.TlsPort, "a.example.com", host: "a.example.com");
        var (other, _) = await TlsClient.TryGetAsync(gateway.TlsPort, "a.example.com", host: "b.example.com");

        Assert.StartsWith("HTTP/1.1 200", same, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 421", other, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutual_ClientCertificate_RequiredFromTheClientCa()
    {
        var (cert, key) = Leaf("gateway", "mtls.example.com");
        var caPath = TestCertificates.WriteBundle(_folder.FullName, "client-ca", _ca);
        using var trusted = TestCertificates.CreateLeaf(_ca, "client", ["client"], "spiffe://cluster.local/ns/default/sa/sleep");
        using var foreign = TestCertificates.CreateLeaf(_otherCa, "intruder", ["client"]);
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TlsGateway.StartAsync(g => Route(g, upstream)
            .AddServer("mtls", s => s.Hosts("mtls.example.com").Tls(t => t.Certificate(cert, key).RequireClientCertificate(caPath))));

        var none = await TlsClient.TryGetAsync(gateway.TlsPort, "mtls.example.com");
        var wrongCa = await TlsClient.TryGetAsync(gateway.TlsPort, "mtls.example.com", foreign);
        var accepted = await TlsClient.TryGetAsync(gateway.TlsPort, "mtls.example.com", trusted);

        Assert.NotNull(none.Error);
        Assert.NotNull(wrongCa.Error);
        Assert.StartsWith("HTTP/1.1 200", accepted.Response, StringComparison.Ordinal);
        Assert.Contains(gateway.Events.Records, e => e.Id == 830 && e.Message.Contains("no client certificate", StringComparison.Ordinal));
        Assert.Contains(gateway.Events.Records, e => e.Id == 830 && e.Message.Contains("CN=intruder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mutual_SubjectAltNames_OnlyListedClientsAccepted()
    {
        var (cert, key) = Leaf("gateway", "mtls.example.com");
        using var sleep = TestCertificates.CreateLeaf(_ca, "sleep", ["client"], "spiffe://cluster.local/ns/default/sa/sleep");
        using var other = TestCertificates.CreateLeaf(_ca, "other", ["client"], "spiffe://cluster.local/ns/default/sa/other");
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TlsGateway.StartAsync(g => Route(g, upstream)
            .AddServer("mtls", s => s.Hosts("*").Tls(t => t.Certificate(cert, key)
                .RequireClientCertificate([_ca])
                .ClientSubjectAltNames("spiffe://cluster.local/ns/default/sa/sleep"))));

        Assert.StartsWith("HTTP/1.1 200", (await TlsClient.TryGetAsync(gateway.TlsPort, "mtls.example.com", sleep)).Response, StringComparison.Ordinal);
        Assert.NotNull((await TlsClient.TryGetAsync(gateway.TlsPort, "mtls.example.com", other)).Error);
    }

    [Fact]
    public async Task OptionalMutual_WithoutCertificateAccepted_ForeignCertificateRefused()
    {
        var (cert, key) = Leaf("gateway", "opt.example.com");
        var caPath = TestCertificates.WriteBundle(_folder.FullName, "client-ca", _ca);
        using var trusted = TestCertificates.CreateLeaf(_ca, "client", ["client"]);
        using var foreign = TestCertificates.CreateLeaf(_otherCa, "intruder", ["client"]);
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TlsGateway.StartAsync(g => Route(g, upstream)
            .AddServer("opt", s => s.Hosts("opt.example.com").Tls(t => t.Certificate(cert, key).AllowClientCertificate(caPath))));

        Assert.StartsWith("HTTP/1.1 200", (await TlsClient.TryGetAsync(gateway.TlsPort, "opt.example.com")).Response, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", (await TlsClient.TryGetAsync(gateway.TlsPort, "opt.example.com", trusted)).Response, StringComparison.Ordinal);
        Assert.NotNull((await TlsClient.TryGetAsync(gateway.TlsPort, "opt.example.com", foreign)).Error);
    }

    [Fact]
    public async Task Principals_FromClientCertificateUriSan_AllowOrDeny()
    {
        var (cert, key) = Leaf("gateway", "api.example.com");
        using var sleep = TestCertificates.CreateLeaf(_ca, "sleep", ["client"], "spiffe://cluster.local/ns/default/sa/sleep");
        using var other = TestCertificates.CreateLeaf(_ca, "other", ["client"], "spiffe://cluster.local/ns/prod/sa/other");
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TlsGateway.StartAsync(g => Route(g, upstream)
            .AddServer("api", s => s.Hosts("api.example.com").Tls(t => t.Certificate(cert, key).AllowClientCertificate([_ca])))
            .AddAuthorizationPolicy("only-sleep", p => p.Allow()
                .Rule(r => r.From(principals: ["cluster.local/ns/default/sa/sleep"]).To(paths: ["/principal"]))
                .Rule(r => r.From(namespaces: ["prod"]).To(paths: ["/namespace"]))
                .Rule(r => r.To(paths: ["/condition"]).When("source.principal", "*/sa/other"))));

        async Task<string> Status(X509Certificate2? client, string path)
        {
            await using var tls = await TlsClient.ConnectAsync(gateway.TlsPort, "api.example.com", client);
            return (await TlsClient.GetAsync(tls, "api.example.com", path))[..12];
        }

        Assert.Equal("HTTP/1.1 200", await Status(sleep, "/principal"));
        Assert.Equal("HTTP/1.1 403", await Status(other, "/principal"));
        Assert.Equal("HTTP/1.1 403", await Status(null, "/principal"));
        Assert.Equal("HTTP/1.1 200", await Status(other, "/namespace"));
        Assert.Equal("HTTP/1.1 403", await Status(sleep, "/namespace"));
        Assert.Equal("HTTP/1.1 200", await Status(other, "/condition"));
        Assert.Equal("HTTP/1.1 403", await Status(null, "/condition"));
    }

    [Fact]
    public async Task Protocols_MinTls13_Tls12ClientRefused()
    {
        var (cert, key) = Leaf("gateway", "tls13.example.com");
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TlsGateway.StartAsync(g => Route(g, upstream)
            .AddServer("tls13", s => s.Hosts("*").Tls(t => t.Certificate(cert, key).Protocols(SslProtocols.Tls13))));

        Assert.NotNull((await TlsClient.TryGetAsync(gateway.TlsPort, "tls13.example.com", protocols: SslProtocols.Tls12)).Error);
        await using var tls = await TlsClient.ConnectAsync(gateway.TlsPort, "tls13.example.com", protocols: SslProtocols.Tls13);
        Assert.Equal(SslProtocols.Tls13, tls.SslProtocol);
    }

    [Fact]
    public async Task Protocols_MaxTls12_NegotiatesTls12()
    {
        var (cert, key) = Leaf("gateway", "tls12.example.com");
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TlsGateway.StartAsync(g => Route(g, upstream)
            .AddServer("tls12", s => s.Hosts("*").Tls(t => t.Certificate(cert, key).Protocols(SslProtocols.Tls12, SslProtocols.Tls12))));

        await using var tls = await TlsClient.ConnectAsync(gateway.TlsPort, "tls12.example.com");
        Assert.Equal(SslProtocols.Tls12, tls.SslProtocol);
        Assert.NotNull((await TlsClient.TryGetAsync(gateway.TlsPort, "tls12.example.com", protocols: SslProtocols.Tls13)).Error);
    }

    [Fact]
    public async Task Alpn_Http2NegotiatedOnTlsPort()
    {
        var (cert, key) = Leaf("gateway", "h2.example.com");
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync(context.Request.Protocol));
        await using var gateway = await TlsGateway.StartAsync(g => Route(g, upstream)
            .AddServer("h2", s => s.Hosts("h2.example.com").Tls(t => t.Certificate(cert, key))));
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { TargetHost = "h2.example.com", RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null },
        })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{gateway.TlsPort}/");
        request.Headers.Host = "h2.example.com";
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    private static IGatewayBuilder Route(IGatewayBuilder gateway, TestUpstream upstream)
        => gateway.AddUpstream("svc", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("svc"));

    private (string Certificate, string Key) Leaf(string name, string dns)
    {
        using var leaf = TestCertificates.CreateLeaf(_ca, name, [dns]);
        return TestCertificates.WritePem(leaf, _folder.FullName, name);
    }
}
