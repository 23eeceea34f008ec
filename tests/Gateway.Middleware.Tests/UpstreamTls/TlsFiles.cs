using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Tests.UpstreamTls;

/// <summary>Self-signed certificates minted in the test, written as PEM files into a temporary directory.</summary>
internal sealed class TlsFiles : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "upstream-tls-unit-" + Guid.NewGuid().ToString("N"));

    public TlsFiles()
    {
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>A certificate (with DNS and URI SANs) and its key as PEM files.</summary>
    public (string Certificate, string Key) WriteCertificate(string name, string? uriSan = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificatePath = Write(name + ".crt", Create(key, name, uriSan).ExportCertificatePem());
        var keyPath = Write(name + ".key", key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    public static X509Certificate2 Create(ECDsa key, string dnsName, string? uriSan)
    {
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        if (uriSan is not null)
        {
            san.AddUri(new Uri(uriSan));
        }

        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
    }

    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
