using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.FunctionalTests.Tls;
using IstioGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// The <c>samples/IstioGateway</c> host serving the TLS servers of its YAML: certificate files relative to the
/// YAML folder, <c>credentialName</c> and <c>certificateRefs</c> from <c>--secrets</c>, SNI, MUTUAL,
/// <c>httpsRedirect</c>, and a bad certificate path refused at start.
/// </summary>
public sealed class IstioGatewayTlsTests : IAsyncLifetime
{
    private readonly string _config = Directory.CreateTempSubdirectory("gw-tls-config-").FullName;
    private readonly string _secrets = Directory.CreateTempSubdirectory("gw-tls-secrets-").FullName;
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("gateway-ca");
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync()
        => _upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync($"reviews saw {context.Request.Path}"));

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        Directory.Delete(_config, recursive: true);
        Directory.Delete(_secrets, recursive: true);
        _ca.Dispose();
    }

    [Fact]
    public async Task Start_IstioTlsServers_SniFilesSecretsMutualAndRedirect()
    {
        var (http, https) = ErrorMappingTests.GetClosedPorts();
        using (var files = TestCertificates.CreateLeaf(_ca, "files", ["bookinfo.example.com"]))
        {
            TestCertificates.WritePem(files, Path.Combine(_config, "certs"), "bookinfo");
        }

        WriteSecret("istio-system", "admin-cert", "admin.example.com", withCa: true);
        TestCertificates.WriteBundle(_config, "client-ca", _ca);
        await File.WriteAllTextAsync(Path.Combine(_config, "gateway.yaml"), IstioConfig(http, https));
        await using var host = await IstioGatewayHost.BuildAsync(["--config", _config, "--address", "127.0.0.1", "--status-port=0", "--secrets", _secrets], Quiet);
        await host.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var client_cert = TestCertificates.CreateLeaf(_ca, "sleep", ["client"], "spiffe://cluster.local/ns/default/sa/sleep");

        using var ready = await client.GetAsync($"http://127.0.0.1:{host.StatusPort}/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(new[] { http, https }.Order(), host.GatewayPorts.Order());

        // serverCertificate/privateKey relative to the YAML folder; credentialName from --secrets; chosen by SNI.
        Assert.Equal("CN=files", (await TlsClient.PresentedCertificateAsync(https, "bookinfo.example.com")).Subject);
        Assert.Equal("CN=admin.example.com", (await TlsClient.PresentedCertificateAsync(https, "admin.example.com")).Subject);
        var (routed, _) = await TlsClient.TryGetAsync(https, "bookinfo.example.com", host: "bookinfo.example.com");
        Assert.StartsWith("HTTP/1.1 200", routed, StringComparison.Ordinal);
        Assert.Contains("reviews saw /reviews/1", await GetOverTlsAsync(https, "bookinfo.example.com", null), StringComparison.Ordinal);

        // The admin server is MUTUAL with the CA from the secret's ca.crt.
        Assert.NotNull((await TlsClient.TryGetAsync(https, "admin.example.com")).Error);
        Assert.StartsWith("HTTP/1.1 200", await GetOverTlsAsync(https, "admin.example.com", client_cert), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{http}/reviews/1?a=b");
        request.Headers.Host = "bookinfo.example.com";
        using var redirected = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
        Assert.Equal("https://bookinfo.example.com/reviews/1?a=b", redirected.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Start_GatewayApiHttpsListener_CertificateRefFromSecrets()
    {
        var https = ErrorMappingTests.GetClosedPort();
        WriteSecret("default", "bookinfo-cert", "bookinfo.example.com", withCa: false);
        await File.WriteAllTextAsync(Path.Combine(_config, "gateway.yaml"), GatewayApiConfig(https));
        await using var host = await IstioGatewayHost.BuildAsync(["--config", _config, "--address", "127.0.0.1", "--status-port=0", "--secrets", _secrets], Quiet);
        await host.StartAsync();

        Assert.Equal("CN=bookinfo.example.com", (await TlsClient.PresentedCertificateAsync(https, "bookinfo.example.com")).Subject);
        Assert.Contains("reviews saw /reviews/1", await GetOverTlsAsync(https, "bookinfo.example.com", null), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CertificateFileMissing_ExitsNonZeroNamingTheField()
    {
        TestCertificates.WriteBundle(_config, "client-ca", _ca);
        var (http, https) = ErrorMappingTests.GetClosedPorts();
        await File.WriteAllTextAsync(Path.Combine(_config, "gateway.yaml"), IstioConfig(http, https));
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        var exitCode = await IstioGatewayHost.RunAsync(["--config", _config, "--address", "127.0.0.1", "--status-port", "0", "--secrets", _secrets], output, error);

        Assert.Equal(1, exitCode);
        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("gateway.yaml#1 Gateway istio-system/gw: spec.servers[1].tls.serverCertificate: cannot load the certificate from ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("gateway.yaml#1 Gateway istio-system/gw: spec.servers[2].tls.credentialName: secret 'istio-system/admin-cert' not found", StringComparison.Ordinal));
    }

    private static void Quiet(WebApplicationBuilder builder) => builder.Logging.ClearProviders();

    private static async Task<string> GetOverTlsAsync(int port, string host, X509Certificate2? clientCertificate)
    {
        await using var tls = await TlsClient.ConnectAsync(port, host, clientCertificate);
        return await TlsClient.GetAsync(tls, host, "/reviews/1");
    }

    private void WriteSecret(string ns, string name, string dns, bool withCa)
    {
        var folder = Path.Combine(_secrets, ns, name);
        using var leaf = TestCertificates.CreateLeaf(_ca, dns, [dns]);
        var (certificate, key) = TestCertificates.WritePem(leaf, folder, "tls");
        File.Move(certificate, Path.Combine(folder, "tls.crt"), overwrite: true);
        File.Move(key, Path.Combine(folder, "tls.key"), overwrite: true);
        if (withCa)
        {
            File.Move(TestCertificates.WriteBundle(folder, "ca", _ca), Path.Combine(folder, "ca.crt"));
        }
    }

    private string IstioConfig(int http, int https) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          servers:
          - port: {number: {{{http}}}, name: http, protocol: HTTP}
            hosts: ["*/bookinfo.example.com"]
            tls: {httpsRedirect: true}
          - port: {number: {{{https}}}, name: https, protocol: HTTPS}
            hosts: ["*/bookinfo.example.com"]
            tls: {mode: SIMPLE, serverCertificate: certs/bookinfo.crt, privateKey: certs/bookinfo.key}
          - port: {number: {{{https}}}, name: https-admin, protocol: HTTPS}
            hosts: ["*/admin.example.com"]
            tls: {mode: MUTUAL, credentialName: admin-cert}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: ["bookinfo.example.com", "admin.example.com"]
          gateways: [istio-system/gw]
          http: [{route: [{destination: {host: reviews}}]}]
        ---
        {{{ServiceEntry}}}
        """;

    private string GatewayApiConfig(int https) => $$$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: istio
          listeners:
          - name: https
            port: {{{https}}}
            protocol: HTTPS
            hostname: bookinfo.example.com
            tls: {mode: Terminate, certificateRefs: [{name: bookinfo-cert}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: reviews, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules: [{backendRefs: [{name: reviews, port: 9080}]}]
        ---
        {{{ServiceEntry}}}
        """;

    private string ServiceEntry => $$$"""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: {{{_upstream.Port}}}}}]
        """;
}
