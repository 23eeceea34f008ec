using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Tls;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Middleware.Tests.Tls;

/// <summary>
/// Compiling server TLS: files load once (an unreadable one is an error naming the server and field),
/// secrets resolve in the secrets directory laid out as mounted Kubernetes secrets.
/// </summary>
public sealed class ServerTlsCompilerTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("server-tls-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Compile_MissingCertificateFile_ErrorNamesServerAndField()
    {
        var errors = new List<string>();

        Compile(errors, null, Server(new ServerTlsConfig { CertificatePath = "/nonexistent/tls.crt", KeyPath = "/nonexistent/tls.key", Where = "server 'https': tls" }));

        var error = Assert.Single(errors);
        Assert.StartsWith("server 'https': tls.serverCertificate: cannot load the certificate from /nonexistent/tls.crt and /nonexistent/tls.key:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_SecretWithoutSecretsDirectory_Error()
    {
        var errors = new List<string>();

        Compile(errors, null, Server(new ServerTlsConfig { Secret = new ServerTlsSecretReference("istio-system", "cert", "credentialName"), Where = "gw.yaml#1 Gateway istio-system/gw: spec.servers[0].tls" }));

        Assert.Equal(["gw.yaml#1 Gateway istio-system/gw: spec.servers[0].tls.credentialName: secret 'istio-system/cert' cannot be resolved: no secrets directory is configured (GatewayTlsOptions.SecretsDirectory, IstioGateway --secrets)"], errors);
    }

    [Fact]
    public void Compile_SecretFolderMissing_Error()
    {
        var errors = new List<string>();

        Compile(errors, _folder.FullName, Server(new ServerTlsConfig { Secret = new ServerTlsSecretReference("istio-system", "absent", "credentialName") }));

        Assert.StartsWith("tls.credentialName: secret 'istio-system/absent' not found: no folder", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tls.crt", "tls.key", "ca.crt", false)]
    [InlineData("cert", "key", "cacert", false)]
    [InlineData("tls.crt", "tls.key", "ca.crt", true)] // Istio's <credentialName>-cacert secret
    public void Compile_SecretLayouts_MutualServerCompiles(string certName, string keyName, string caName, bool separateCaSecret)
    {
        var secret = Directory.CreateDirectory(Path.Combine(_folder.FullName, "istio-system", "cert")).FullName;
        var (certificate, key, ca) = MintPem();
        File.WriteAllText(Path.Combine(secret, certName), certificate);
        File.WriteAllText(Path.Combine(secret, keyName), key);
        var caFolder = separateCaSecret ? Directory.CreateDirectory(secret + "-cacert").FullName : secret;
        File.WriteAllText(Path.Combine(caFolder, caName), ca);
        var errors = new List<string>();

        var table = Compile(errors, _folder.FullName, Server(new ServerTlsConfig { Mode = ServerTlsMode.Mutual, Secret = new ServerTlsSecretReference("istio-system", "cert", "credentialName") }));

        Assert.Empty(errors);
        Assert.Equal(ServerTlsMode.Mutual, table.ForPort(443)!.Select("bookinfo.example.com").Mode);
    }

    [Fact]
    public void Compile_MutualSecretWithoutCa_Error()
    {
        var secret = Directory.CreateDirectory(Path.Combine(_folder.FullName, "istio-system", "cert")).FullName;
        var (certificate, key, _) = MintPem();
        File.WriteAllText(Path.Combine(secret, "tls.crt"), certificate);
        File.WriteAllText(Path.Combine(secret, "tls.key"), key);
        var errors = new List<string>();

        Compile(errors, _folder.FullName, Server(new ServerTlsConfig { Mode = ServerTlsMode.Mutual, Secret = new ServerTlsSecretReference("istio-system", "cert", "credentialName") }));

        Assert.Equal(["tls.caCertificates: required for mode MUTUAL (the CA that client certificates must chain to)"], errors);
    }

    [Theory]
    [InlineData("a.example.com", "a")]
    [InlineData("x.wild.example.com", "wild")]
    [InlineData("deep.x.wild.example.com", "wild")]
    [InlineData("wild.example.com", "short")] // *.wild.example.com never matches its apex; *.example.com does
    [InlineData("other.org", "a")]
    [InlineData(null, "a")]
    public void Selector_Sni_ExactThenLongestWildcardThenFirst(string? sni, string expected)
    {
        var errors = new List<string>();
        var config = new ServerTlsConfig { Certificate = MintCertificate() };
        var table = Compile(
            errors,
            null,
            new ServerConfig { Name = "a", Port = 443, Hosts = ["a.example.com"], Tls = true, TlsSettings = config },
            new ServerConfig { Name = "short", Port = 443, Hosts = ["*.example.com"], Tls = true, TlsSettings = config },
            new ServerConfig { Name = "wild", Port = 443, Hosts = ["*.wild.example.com"], Tls = true, TlsSettings = config });

        Assert.Empty(errors);
        Assert.Equal(expected, table.ForPort(443)!.Select(sni).ServerName);
    }

    private static ServerConfig Server(ServerTlsConfig tls) => new() { Name = "https", Port = 443, Hosts = ["bookinfo.example.com"], Tls = true, TlsSettings = tls };

    private static ServerTlsTable Compile(List<string> errors, string? secrets, params ServerConfig[] servers)
        => new ServerTlsCompiler(new GatewayTlsOptions { SecretsDirectory = secrets }, NullLogger.Instance, TimeProvider.System).Compile(servers, errors);

    private static X509Certificate2 MintCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=server", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
    }

    private static (string Certificate, string Key, string Ca) MintPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=server", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), certificate.ExportCertificatePem());
    }
}
