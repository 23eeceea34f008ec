using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Middleware.Testing;

/// <summary>How a <see cref="FakeUpstream"/> listens: protocols and TLS.</summary>
public sealed class FakeUpstreamOptions
{
    /// <summary>
    /// The protocols served. Default (<see langword="null"/>): HTTP/1.1 in plain text, HTTP/1.1 and HTTP/2 (ALPN)
    /// with TLS. Set <see cref="HttpProtocols.Http2"/> for h2c (HTTP/2 without TLS, prior knowledge), which is
    /// what the gateway speaks to an HTTP/2 or gRPC upstream in plain text.
    /// </summary>
    public HttpProtocols? Protocols { get; set; }

    /// <summary>The certificate (with its private key) to serve TLS with; <see langword="null"/> (default) serves plain text.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>
    /// Whether the TLS handshake requires a client certificate (mTLS). Default <see langword="false"/>: a client
    /// certificate is asked for but optional, and recorded when sent. Needs <see cref="ServerCertificate"/>.
    /// </summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>
    /// When set, a client certificate must chain to this CA or the handshake fails; <see langword="null"/>
    /// (default) accepts any client certificate.
    /// </summary>
    public X509Certificate2? ClientCertificateAuthority { get; set; }
}
