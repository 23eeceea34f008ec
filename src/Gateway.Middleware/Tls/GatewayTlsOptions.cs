namespace Gateway.Middleware.Tls;

/// <summary>How the gateway finds and reloads the certificates of the servers that terminate TLS.</summary>
public sealed class GatewayTlsOptions
{
    /// <summary>
    /// The folder that Istio <c>credentialName</c> and Gateway API <c>certificateRefs</c> resolve in, laid out
    /// like mounted Kubernetes secrets: <c>&lt;dir&gt;/&lt;namespace&gt;/&lt;name&gt;/tls.crt</c>, <c>tls.key</c> and
    /// optionally <c>ca.crt</c> (Istio's generic <c>cert</c>, <c>key</c>, <c>cacert</c> are accepted too).
    /// Default <see langword="null"/>: a secret reference is a configuration error.
    /// </summary>
    public string? SecretsDirectory { get; set; }

    /// <summary>
    /// How often, at most, certificate and CA files are re-read (by content) when a handshake uses them; a
    /// new certificate applies to new connections, a broken file keeps the last good one. Default 5 seconds.
    /// </summary>
    public TimeSpan CertificateCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
