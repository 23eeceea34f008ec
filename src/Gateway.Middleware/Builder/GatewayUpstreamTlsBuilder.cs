using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// How the gateway originates TLS to an upstream: Istio DestinationRule <c>trafficPolicy.tls</c>
/// (<c>ClientTLSSettings</c>). The mode starts as SIMPLE (TLS, server verified, no client certificate);
/// <see cref="ClientCertificate(string, string)"/> makes it MUTUAL, <see cref="IstioMutual"/> ISTIO_MUTUAL
/// and <see cref="Disable"/> DISABLE. With any mode but DISABLE every endpoint is dialled over TLS, whatever
/// the scheme of its address. TLS 1.2 is the minimum; revocation is not checked.
/// </summary>
public sealed class GatewayUpstreamTlsBuilder
{
    private UpstreamTlsMode _mode = UpstreamTlsMode.Simple;
    private X509Certificate2Collection? _trustedRoots;
    private string? _caCertificatesPath;
    private string? _clientCertificatePath;
    private string? _privateKeyPath;
    private X509Certificate2? _clientCertificate;
    private List<string>? _subjectAltNames;
    private string? _sni;
    private bool _insecureSkipVerify;

    internal GatewayUpstreamTlsBuilder()
    {
    }

    /// <summary>
    /// Trusts the CA certificates of a PEM bundle instead of the system store (Istio <c>tls.caCertificates</c>).
    /// The file reloads when its content changes (checked at most once a second, on new connections); a file
    /// that no longer parses keeps the last good roots. Default: the system store.
    /// </summary>
    public GatewayUpstreamTlsBuilder CaCertificates(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _caCertificatesPath = path;
        return this;
    }

    /// <summary>Trusts these roots instead of the system store (in-memory <c>tls.caCertificates</c>).</summary>
    public GatewayUpstreamTlsBuilder TrustedRoots(params X509Certificate2[] roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _trustedRoots ??= [];
        _trustedRoots.AddRange(roots);
        return this;
    }

    /// <summary>
    /// The names one of which the upstream's certificate must carry as a DNS or URI SAN, e.g.
    /// <c>spiffe://cluster.local/ns/default/sa/reviews</c> (Istio <c>tls.subjectAltNames</c>; exact match,
    /// DNS names case-insensitively). Default: the certificate must be valid for the SNI host name.
    /// </summary>
    public GatewayUpstreamTlsBuilder SubjectAltNames(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _subjectAltNames ??= [];
        _subjectAltNames.AddRange(names);
        return this;
    }

    /// <summary>The SNI sent (Istio <c>tls.sni</c>). Default: the endpoint's host.</summary>
    public GatewayUpstreamTlsBuilder Sni(string serverName)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        _sni = serverName;
        return this;
    }

    /// <summary>
    /// Presents this certificate (PEM, leaf first then intermediates) with its PEM private key to the upstream:
    /// mode MUTUAL (Istio <c>tls.clientCertificate</c>, <c>tls.privateKey</c>). Both files reload when their
    /// content changes; new connections then present the new certificate, open ones keep theirs.
    /// </summary>
    public GatewayUpstreamTlsBuilder ClientCertificate(string certificatePath, string privateKeyPath)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        ArgumentNullException.ThrowIfNull(privateKeyPath);
        _mode = UpstreamTlsMode.Mutual;
        _clientCertificatePath = certificatePath;
        _privateKeyPath = privateKeyPath;
        return this;
    }

    /// <summary>Presents this certificate, which must carry its private key: mode MUTUAL.</summary>
    public GatewayUpstreamTlsBuilder ClientCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _mode = UpstreamTlsMode.Mutual;
        _clientCertificate = certificate;
        return this;
    }

    /// <summary>
    /// Mode ISTIO_MUTUAL: presents the gateway's mesh identity and trusts the mesh roots (both set once with
    /// <c>ConfigureMeshIdentity</c>); without <see cref="SubjectAltNames"/>, the upstream must present a
    /// SPIFFE ID of the mesh's trust domain.
    /// </summary>
    public GatewayUpstreamTlsBuilder IstioMutual()
    {
        _mode = UpstreamTlsMode.IstioMutual;
        return this;
    }

    /// <summary>Mode DISABLE: plain text, even to an <c>https://</c> endpoint.</summary>
    public GatewayUpstreamTlsBuilder Disable()
    {
        _mode = UpstreamTlsMode.Disable;
        return this;
    }

    /// <summary>
    /// Skips the chain and name checks of the upstream's certificate (Istio <c>tls.insecureSkipVerify</c>).
    /// Logged as a warning when the configuration loads. Default <see langword="false"/>.
    /// </summary>
    public GatewayUpstreamTlsBuilder InsecureSkipVerify(bool skip = true)
    {
        _insecureSkipVerify = skip;
        return this;
    }

    internal UpstreamTlsConfig Build() => new()
    {
        Mode = _mode,
        TrustedRoots = _trustedRoots,
        CaCertificatesPath = _caCertificatesPath,
        ClientCertificatePath = _clientCertificatePath,
        PrivateKeyPath = _privateKeyPath,
        ClientCertificate = _clientCertificate,
        SubjectAltNames = _subjectAltNames is null ? [] : [.. _subjectAltNames],
        Sni = _sni,
        InsecureSkipVerify = _insecureSkipVerify,
    };
}
