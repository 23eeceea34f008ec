namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>One handshake's outcome as the certificate check saw it, so the failure can name its reason.</summary>
internal sealed class UpstreamTlsHandshake
{
    /// <summary>Why the upstream's certificate was refused; <see langword="null"/> when it was not.</summary>
    public string? FailureReason { get; set; }

    /// <summary>The upstream asked for a client certificate and the gateway had none to present.</summary>
    public bool ClientCertificateRequested { get; set; }
}
