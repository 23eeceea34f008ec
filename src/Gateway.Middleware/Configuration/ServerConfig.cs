namespace Gateway.Middleware.Configuration;

/// <summary>
/// An Istio <c>Gateway.spec.servers[]</c> entry or a Gateway API listener: the hosts served on a port.
/// </summary>
internal sealed record ServerConfig
{
    public required string Name { get; init; }

    /// <summary>The local port the server listens on; <see langword="null"/> means every port.</summary>
    public int? Port { get; init; }

    /// <summary>Host patterns served: exact, <c>*.suffix</c> or <c>*</c>.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = ["*"];

    /// <summary>Whether the server terminates TLS (then SNI and <c>:authority</c> must pick the same server, else 421).</summary>
    public bool Tls { get; init; }

    /// <summary>
    /// How the server terminates TLS (certificates, client CA, protocols); <see langword="null"/> when
    /// <see cref="Tls"/> is false, or when the application's own Kestrel HTTPS settings provide the certificate.
    /// </summary>
    public ServerTlsConfig? TlsSettings { get; init; }

    /// <summary>Istio <c>tls.httpsRedirect</c>: plain-text requests get a 301 to the same URL over https.</summary>
    public bool HttpsRedirect { get; init; }

    public string Source { get; init; } = "";
}
