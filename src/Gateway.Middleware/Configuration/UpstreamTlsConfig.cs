using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Configuration;

/// <summary>How the gateway verifies an upstream's certificate when it originates TLS.</summary>
internal sealed record UpstreamTlsConfig
{
    /// <summary>Roots to trust instead of the system store; <see langword="null"/> uses the system store.</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>SNI to send; <see langword="null"/> sends the endpoint host.</summary>
    public string? Sni { get; init; }
}
