using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>
/// How the gateway originates TLS to one upstream (Istio <c>ClientTLSSettings</c> after the merge): SNI,
/// roots, expected names, client certificate. Immutable; each new connection gets its own
/// <see cref="SslClientAuthenticationOptions"/> built from the current (possibly reloaded) files.
/// </summary>
internal sealed partial class UpstreamTlsOrigination
{
    private static readonly List<SslApplicationProtocol> Http2Only = [SslApplicationProtocol.Http2];
    private static readonly List<SslApplicationProtocol> Http2OrHttp11 = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
    private static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];

    public required string Upstream { get; init; }

    /// <summary><c>sni</c>; <see langword="null"/> sends the endpoint's host.</summary>
    public string? Sni { get; init; }

    /// <summary><c>subjectAltNames</c>: one must be a DNS or URI SAN of the upstream's certificate.</summary>
    public IReadOnlyList<string> SubjectAltNames { get; init; } = [];

    /// <summary>ISTIO_MUTUAL without <c>subjectAltNames</c>: the URI SAN prefix (<c>spiffe://trust-domain/</c>) required.</summary>
    public string? SpiffePrefix { get; init; }

    public bool InsecureSkipVerify { get; init; }

    /// <summary>Roots to trust; <see langword="null"/> uses the system store.</summary>
    public TrustedRoots? Roots { get; init; }

    /// <summary>The certificate presented (MUTUAL, ISTIO_MUTUAL); <see langword="null"/> presents none.</summary>
    public ClientCertificateSource? ClientCertificate { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    /// <summary>The options of one handshake with <paramref name="host"/> for <paramref name="request"/>'s HTTP version.</summary>
    public SslClientAuthenticationOptions CreateOptions(string host, HttpRequestMessage? request, UpstreamTlsHandshake handshake)
    {
        var expectedName = Sni ?? host;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = expectedName,
            // TLS 1.2 is the floor (DESIGN.md, "Upstream TLS").
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = SelectAlpn(request),
            ClientCertificateContext = ClientCertificate?.Current,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Verify(certificate as X509Certificate2, chain, errors, expectedName, handshake),
        };

        if (!InsecureSkipVerify)
        {
            options.CertificateChainPolicy = CreateChainPolicy();
        }

        if (ClientCertificate is null)
        {
            // SslStream also calls this before the handshake (no server certificate yet); a call after the
            // server's certificate arrived means the upstream asked for one. There is none to give.
            options.LocalCertificateSelectionCallback = (_, _, _, remoteCertificate, _) =>
            {
                if (remoteCertificate is not null)
                {
                    handshake.ClientCertificateRequested = true;
                }

                return null!;
            };
        }

        return options;
    }

    /// <summary>
    /// ALPN as the request asks: <c>h2</c> alone for HTTP/2 exactly (gRPC), <c>h2, http/1.1</c> when either
    /// will do, <c>http/1.1</c> otherwise. SocketsHttpHandler then speaks what was negotiated.
    /// </summary>
    private static List<SslApplicationProtocol> SelectAlpn(HttpRequestMessage? request)
    {
        if (request is null)
        {
            return Http11Only;
        }

        if (request.Version >= HttpVersion.Version20)
        {
            return request.VersionPolicy == HttpVersionPolicy.RequestVersionExact || request.VersionPolicy == HttpVersionPolicy.RequestVersionOrHigher
                ? Http2Only
                : Http2OrHttp11;
        }

        return request.VersionPolicy == HttpVersionPolicy.RequestVersionOrHigher ? Http2OrHttp11 : Http11Only;
    }

    private X509ChainPolicy CreateChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            // No network during a handshake: revocation is not checked (Envoy checks it only with a configured CRL).
            RevocationMode = X509RevocationMode.NoCheck,
            VerificationTime = TimeProvider.GetUtcNow().UtcDateTime,
            VerificationTimeIgnored = false,
        };

        if (Roots is { } roots)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(roots.Current);
        }

        return policy;
    }
}
