using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.FunctionalTests.Infrastructure;

/// <summary>Mints CAs and leaf certificates in the test, with CertificateRequest.</summary>
public static class TestCertificates
{
    /// <summary>
    /// A self-signed CA valid for a day, since <paramref name="age"/> ago (default five minutes; a week-old CA can
    /// sign a leaf that has already expired, since a leaf may not predate its issuer).
    /// </summary>
    public static X509Certificate2 CreateCa(string name, TimeSpan? age = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now - (age ?? TimeSpan.FromMinutes(5)), now.AddDays(1));
    }

    /// <summary>A server/client leaf signed by <paramref name="issuer"/>, with DNS SANs (and an optional URI SAN).</summary>
    public static X509Certificate2 CreateLeaf(X509Certificate2 issuer, string subject, string[] dnsNames, string? uriSan = null, bool expired = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            san.AddDnsName(dns);
        }

        san.AddIpAddress(System.Net.IPAddress.Loopback);
        if (uriSan is not null)
        {
            san.AddUri(new Uri(uriSan));
        }

        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        var (notBefore, notAfter) = expired ? (now.AddDays(-3), now.AddDays(-1)) : (now.AddMinutes(-5), now.AddHours(12));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(issuer, notBefore, notAfter, serial);
        var withKey = signed.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so SslStream on Linux can use the private key.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Writes <paramref name="certificate"/> (PEM) and its private key (PKCS#8 PEM) into <paramref name="directory"/>.</summary>
    public static (string CertificatePath, string KeyPath) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("The certificate has no private key.");
        using (key)
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        return (certificatePath, keyPath);
    }

    /// <summary>Writes a PEM bundle of <paramref name="certificates"/> (CAs) and returns its path.</summary>
    public static string WriteBundle(string directory, string name, params X509Certificate2[] certificates)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".pem");
        File.WriteAllText(path, string.Concat(Array.ConvertAll(certificates, c => c.ExportCertificatePem() + "\n")));
        return path;
    }
}
