using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bookinfo.Demo;

/// <summary>
/// The demo certificate authority, minted at start-up and gone when the process ends: it signs the gateway's
/// server certificate for <c>bookinfo.example.com</c>, the reviews pods' server certificates and the gateway's
/// client certificate (the identity Istio's ingress gateway presents to the mesh).
/// </summary>
public sealed class DemoPki : IDisposable
{
    /// <summary>The SPIFFE identity of the reviews pods (Istio's <c>bookinfo-reviews</c> service account).</summary>
    public const string ReviewsIdentity = "spiffe://cluster.local/ns/default/sa/bookinfo-reviews";

    /// <summary>The SPIFFE identity the gateway presents to reviews (Istio's ingress gateway service account).</summary>
    public const string GatewayIdentity = "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";

    private DemoPki(X509Certificate2 ca)
    {
        Ca = ca;
        GatewayServer = CreateLeaf(ca, "bookinfo.example.com", ["bookinfo.example.com"], uri: null);
        GatewayClient = CreateLeaf(ca, "istio-ingressgateway", [], GatewayIdentity);
        Reviews = CreateLeaf(ca, "reviews", ["reviews.default.svc.cluster.local"], ReviewsIdentity);
    }

    /// <summary>The demo root CA (public part only is ever handed out).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The gateway's https certificate for <c>bookinfo.example.com</c>.</summary>
    public X509Certificate2 GatewayServer { get; }

    /// <summary>The client certificate the gateway presents to reviews (DestinationRule <c>tls.mode: MUTUAL</c>).</summary>
    public X509Certificate2 GatewayClient { get; }

    /// <summary>The server certificate of the reviews pods.</summary>
    public X509Certificate2 Reviews { get; }

    /// <summary>Mints a CA valid for a day and the three leaf certificates it signs.</summary>
    public static DemoPki Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Bookinfo demo CA (Gateway.Middleware sample)", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new DemoPki(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1)));
    }

    /// <summary>Whether <paramref name="certificate"/> chains to the demo CA (and only to it).</summary>
    public bool IsIssuedByCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Ca.Dispose();
        GatewayServer.Dispose();
        GatewayClient.Dispose();
        Reviews.Dispose();
    }

    private static X509Certificate2 CreateLeaf(X509Certificate2 issuer, string name, string[] dnsNames, string? uri)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // serverAuth and clientAuth: the same kind of workload certificate Istio issues.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            san.AddDnsName(dns);
        }

        if (uri is not null)
        {
            san.AddUri(new Uri(uri));
        }

        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(issuer, now.AddMinutes(-5), now.AddHours(23), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        // Through PKCS#12 so SslStream can use the private key on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
