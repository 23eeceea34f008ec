namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>One handshake's outcome as the certificate check saw it, so the failure can name its reason.</summary>
internal sealed class UpstreamTlsHandshake
{
    /// <summary>Why the upstream's certificate was refused; <see langword="null"/> when it was not.</summary>
    public string? FailureReason { get; set; }
}
