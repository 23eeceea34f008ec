using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Tls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>
/// What TLS origination needs from the application (a singleton): the clock, a logger, the mesh identity,
/// and the certificate files loaded so far, shared by path so a configuration reload does not reload files
/// whose content did not change.
/// </summary>
internal sealed class UpstreamTlsServices
{
    /// <summary>How often, at most, certificate and CA files are checked for new content.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly TlsFileCache _files;

    public UpstreamTlsServices(TimeProvider timeProvider, ILoggerFactory loggerFactory, IOptions<GatewayMeshIdentityOptions> meshIdentity)
    {
        TimeProvider = timeProvider;
        Logger = loggerFactory.CreateLogger("Gateway.Middleware.Upstreams.Tls");
        _files = new TlsFileCache(timeProvider, Logger, CheckInterval);
        var mesh = meshIdentity.Value;
        MeshIdentity = mesh.CertificateChainPath is null && mesh.PrivateKeyPath is null && mesh.CaCertificatesPath is null ? null : mesh;
    }

    /// <summary>Services for code that has no container (tests, <c>GatewayConfigCompiler.Compile</c> alone).</summary>
    public static UpstreamTlsServices Default { get; } = new(TimeProvider.System, NullLoggerFactory.Instance, Options.Create(new GatewayMeshIdentityOptions()));

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    /// <summary>The configured mesh identity; <see langword="null"/> when the application configured none.</summary>
    public GatewayMeshIdentityOptions? MeshIdentity { get; }

    /// <summary>A certificate with its key from PEM files; throws when they cannot be loaded.</summary>
    public ReloadingFileValue<CertificateWithChain> GetCertificate(string certificatePath, string keyPath)
        => _files.GetCertificate(certificatePath, keyPath);

    /// <summary>A PEM bundle of CA certificates; throws when it cannot be loaded.</summary>
    public ReloadingFileValue<X509Certificate2Collection> GetBundle(string path) => _files.GetBundle(path);
}
