using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.FunctionalTests.UpstreamTls;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Configuration.DestinationRules;

/// <summary>
/// A DestinationRule whose TLS cannot work is refused with an error naming the file, the resource and the field:
/// at start the gateway does not start; on a hot reload the last good configuration keeps serving.
/// </summary>
public sealed class YamlDestinationRuleErrorTests : IDisposable
{
    private const string Resource = "mesh.yaml#4 DestinationRule default/reviews: spec.trafficPolicy.tls";

    private readonly YamlFolder _folder = new();
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("mesh-ca");

    public YamlDestinationRuleErrorTests()
    {
        TestCertificates.WriteBundle(_folder.Certificates, "ca", _ca);
        using var client = TestCertificates.CreateLeaf(_ca, "gateway", ["gateway.internal"]);
        TestCertificates.WritePem(client, _folder.Certificates, "client");
    }

    [Fact]
    public async Task MissingCaCertificatesFile_RefusedNamingFileResourceFieldAndPath()
    {
        _folder.Write(YamlFolder.Mesh("tls: {mode: SIMPLE, caCertificates: certs/missing.pem}", 1));

        var errors = await _folder.StartErrorsAsync();

        var missing = Path.Combine(_folder.Certificates, "missing.pem");
        Assert.Contains($"{Resource}.caCertificates: file '{missing}' not found", errors);
    }

    [Fact]
    public async Task MutualWithoutPrivateKey_RefusedNamingFileResourceAndField()
    {
        _folder.Write(YamlFolder.Mesh("tls: {mode: MUTUAL, clientCertificate: certs/client.crt, caCertificates: certs/ca.pem}", 1));

        var errors = await _folder.StartErrorsAsync();

        Assert.Contains($"{Resource}.privateKey: required for tls mode MUTUAL", errors);
    }

    [Theory]
    [InlineData("{mode: MUTUAL, clientCertificate: certs/client.crt, caCertificates: certs/ca.pem}", "privateKey: required for tls mode MUTUAL")]
    [InlineData("{mode: SIMPLE, caCertificates: certs/missing.pem, sni: reviews.internal}", "caCertificates: file '")]
    public async Task HotReload_BadTls_RefusedAndLastGoodKeepsServing(string badTls, string error)
    {
        using var server = TestCertificates.CreateLeaf(_ca, "reviews", ["reviews.internal"]);
        await using var upstream = await TlsUpstream.StartAsync(server);
        _folder.Write(YamlFolder.Mesh("tls: {mode: SIMPLE, caCertificates: certs/ca.pem, sni: reviews.internal}", upstream.Port));
        await using var gateway = await _folder.StartAsync(watch: true);
        using var client = gateway.CreateClient();
        using (var before = await YamlFolder.GetAsync(client))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var applied = await _folder.ReloadAsync(gateway, YamlFolder.Mesh("tls: " + badTls, upstream.Port));

        Assert.False(applied);
        Assert.Contains(gateway.Services.GetRequiredService<IGatewayConfigMonitor>().LastRejectedErrors, e => e.StartsWith($"{Resource}.{error}", StringComparison.Ordinal));
        using var after = await YamlFolder.GetAsync(client);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("https", after.Headers.GetValues("x-scheme").Single());
    }

    public void Dispose()
    {
        _ca.Dispose();
        _folder.Dispose();
    }
}
