using Gateway.Middleware.Builder;
using Gateway.Middleware.Upstreams.Tls;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Middleware.Tests.UpstreamTls;

/// <summary>Certificate files are loaded once per path set, so a configuration reload does not reload them.</summary>
public sealed class UpstreamTlsServicesTests : IDisposable
{
    private readonly TlsFiles _files = new();

    [Fact]
    public void GetCertificate_SamePaths_SameReloadingValue()
    {
        var (certificate, key) = _files.WriteCertificate("client");
        var services = new UpstreamTlsServices(new FakeTimeProvider(), NullLoggerFactory.Instance, Options.Create(new GatewayMeshIdentityOptions()));

        var first = services.GetCertificate(certificate, key);
        var second = services.GetCertificate(Path.Combine(_files.Directory, ".", "client.crt"), key);

        Assert.Same(first, second);
        Assert.Same(services.GetBundle(certificate), services.GetBundle(certificate));
        Assert.Null(services.MeshIdentity);
    }

    [Fact]
    public void GetCertificate_RewrittenFile_NewValueAfterCheckInterval()
    {
        var (certificate, key) = _files.WriteCertificate("client", "spiffe://cluster.local/ns/a/sa/one");
        var time = new FakeTimeProvider();
        var services = new UpstreamTlsServices(time, NullLoggerFactory.Instance, Options.Create(new GatewayMeshIdentityOptions()));
        var source = new ClientCertificateSource(services.GetCertificate(certificate, key));
        var before = source.Current.TargetCertificate;

        _files.WriteCertificate("client", "spiffe://cluster.local/ns/a/sa/two");
        Assert.True(services.GetCertificate(certificate, key).CheckNow());

        Assert.NotEqual(before.Thumbprint, source.Current.TargetCertificate.Thumbprint);
        Assert.Equal("spiffe://cluster.local/ns/a/sa/two", source.Current.TargetCertificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.UrlName, false));
    }

    public void Dispose() => _files.Dispose();
}
