using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Testing;

/// <summary>
/// A certificate authority minted in memory (ECDSA P-256, valid for a day) that issues server and client
/// certificates for TLS and mTLS tests, with PEM writing for configurations that take file paths.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private readonly TimeProvider _time;

    private TestCertificateAuthority(X509Certificate2 certificate, TimeProvider time)
    {
        Certificate = certificate;
        _time = time;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Mints a self-signed CA valid from five minutes ago for a day.</summary>
    /// <param name="name">Its common name; default <c>Gateway Test CA</c>.</param>
    /// <param name="timeProvider">The clock validity periods start from; default the system clock.</param>
    /// <returns>The CA.</returns>
    public static TestCertificateAuthority Create(string name = "Gateway Test CA", TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1)), time);
    }

    /// <summary>
    /// A server certificate for <paramref name="dnsNames"/> (default <c>localhost</c>) and the IP SAN
    /// <c>127.0.0.1</c>, so it verifies for a fake upstream on loopback.
    /// </summary>
    /// <param name="dnsNames">DNS SANs; the first is also the common name.</param>
    /// <returns>The certificate with its private key.</returns>
    public X509Certificate2 IssueServerCertificate(params string[] dnsNames)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        var names = dnsNames.Length == 0 ? ["localhost"] : dnsNames;
        return Issue(names[0], names, null, ServerAuth);
    }

    /// <summary>A client certificate, e.g. the gateway's identity for mTLS to an upstream.</summary>
    /// <param name="subject">The common name.</param>
    /// <param name="uriSan">An optional URI SAN, e.g. <c>spiffe://cluster.local/ns/istio-system/sa/ingressgateway</c>.</param>
    /// <returns>The certificate with its private key.</returns>
    public X509Certificate2 IssueClientCertificate(string subject, string? uriSan = null) => Issue(subject, [], uriSan, ClientAuth);

    /// <summary>
    /// Any leaf: server and client usage, the given SANs, valid from <paramref name="notBefore"/> (default five
    /// minutes ago) to <paramref name="notAfter"/> (default in twelve hours); set both in the past for an expired one.
    /// </summary>
    /// <param name="subject">The common name.</param>
    /// <param name="dnsNames">DNS SANs.</param>
    /// <param name="uriSan">An optional URI SAN.</param>
    /// <param name="notBefore">Start of validity.</param>
    /// <param name="notAfter">End of validity.</param>
    /// <returns>The certificate with its private key.</returns>
    public X509Certificate2 IssueCertificate(string subject, string[] dnsNames, string? uriSan = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
        => Issue(subject, dnsNames, uriSan, null, notBefore, notAfter);

    /// <summary>Writes the CA certificate as PEM (a <c>caCertificates</c> bundle) and returns the file's path.</summary>
    /// <param name="directory">The folder (created when missing).</param>
    /// <param name="name">The file name without extension; default <c>ca</c> (writes <c>ca.pem</c>).</param>
    /// <returns>The path.</returns>
    public string WriteCaPem(string directory, string name = "ca")
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".pem");
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>
    /// Writes <paramref name="certificate"/> (<c>name.crt</c>, PEM) and its private key (<c>name.key</c>, PKCS#8 PEM)
    /// into <paramref name="directory"/>, as Istio's <c>credentialName</c> secrets and <c>clientCertificate</c>/<c>privateKey</c> files are.
    /// </summary>
    /// <param name="certificate">A certificate with its private key.</param>
    /// <param name="directory">The folder (created when missing).</param>
    /// <param name="name">The file name without extension.</param>
    /// <returns>The two paths.</returns>
    public static (string CertificatePath, string KeyPath) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("The certificate has no private key.", nameof(certificate));
        using (key)
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        return (certificatePath, keyPath);
    }

    /// <summary>Disposes the CA certificate and its key.</summary>
    public void Dispose() => Certificate.Dispose();

    private X509Certificate2 Issue(string subject, string[] dnsNames, string? uriSan, Oid? usage, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usage is null ? [ServerAuth, ClientAuth] : [usage], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            san.AddDnsName(dns);
        }

        if (usage != ClientAuth)
        {
            san.AddIpAddress(System.Net.IPAddress.Loopback);
        }

        if (uriSan is not null)
        {
            san.AddUri(new Uri(uriSan));
        }

        if (dnsNames.Length > 0 || uriSan is not null || usage != ClientAuth)
        {
            request.CertificateExtensions.Add(san.Build());
        }

        var now = _time.GetUtcNow();
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(Certificate, notBefore ?? now.AddMinutes(-5), notAfter ?? now.AddHours(12), serial);
        using var withKey = signed.CopyWithPrivateKey(key);

        // Round-trip through PKCS#12 so SslStream on Linux can use the private key.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
