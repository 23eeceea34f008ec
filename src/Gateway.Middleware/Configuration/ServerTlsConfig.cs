using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Configuration;

/// <summary>
/// Istio <c>ServerTLSSettings</c> of a server that terminates TLS (Gateway API listener <c>tls</c> too). The
/// certificate comes from files (reloaded when they change), from a secret reference or from memory.
/// </summary>
internal sealed record ServerTlsConfig
{
    public ServerTlsMode Mode { get; init; } = ServerTlsMode.Simple;

    /// <summary><c>serverCertificate</c>: PEM certificate, followed by its intermediates.</summary>
    public string? CertificatePath { get; init; }

    /// <summary><c>privateKey</c>: PEM key of <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; init; }

    /// <summary>A certificate with its private key given in memory (builder), instead of files.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary><c>caCertificates</c>: PEM bundle of the CAs client certificates must chain to.</summary>
    public string? CaCertificatesPath { get; init; }

    /// <summary>Client CAs given in memory (builder), instead of <see cref="CaCertificatesPath"/>.</summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    /// <summary>
    /// <c>credentialName</c> / <c>certificateRefs</c>: certificate, key and optionally the client CA from a
    /// mounted secret; the client CA may also come from a secret named <c>&lt;name&gt;-cacert</c>.
    /// </summary>
    public ServerTlsSecretReference? Secret { get; init; }

    /// <summary><c>subjectAltNames</c>: a client certificate must carry one of these DNS or URI SANs; empty: any.</summary>
    public IReadOnlyList<string> SubjectAltNames { get; init; } = [];

    /// <summary><c>minProtocolVersion</c>; TLS 1.2 by default.</summary>
    public SslProtocols MinProtocolVersion { get; init; } = SslProtocols.Tls12;

    /// <summary><c>maxProtocolVersion</c>; TLS 1.3 by default.</summary>
    public SslProtocols MaxProtocolVersion { get; init; } = SslProtocols.Tls13;

    /// <summary>Where the settings were declared, prefixed to error messages (e.g. <c>gw.yaml#1 Gateway ns/gw: spec.servers[0].tls</c>).</summary>
    public string Where { get; init; } = "tls";
}
