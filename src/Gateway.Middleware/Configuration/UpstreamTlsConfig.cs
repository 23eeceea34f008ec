using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Configuration;

/// <summary>
/// Istio <c>ClientTLSSettings</c>: whether and how the gateway originates TLS to an upstream. File paths
/// (YAML, appsettings) and in-memory certificates (the fluent builder) are both accepted.
/// </summary>
internal sealed record UpstreamTlsConfig
{
    public UpstreamTlsMode Mode { get; init; } = UpstreamTlsMode.Simple;

    /// <summary>Roots to trust instead of the system store (builder); see also <see cref="CaCertificatesPath"/>.</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary><c>caCertificates</c>: PEM bundle of roots to trust; <see langword="null"/> uses the system store.</summary>
    public string? CaCertificatesPath { get; init; }

    /// <summary><c>clientCertificate</c>: PEM certificate (chain) presented in MUTUAL mode.</summary>
    public string? ClientCertificatePath { get; init; }

    /// <summary><c>privateKey</c>: PEM key of <see cref="ClientCertificatePath"/>.</summary>
    public string? PrivateKeyPath { get; init; }

    /// <summary>A client certificate with its key given in memory (builder), instead of files.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary><c>subjectAltNames</c>: the DNS or URI SANs one of which the upstream's certificate must carry.</summary>
    public IReadOnlyList<string> SubjectAltNames { get; init; } = [];

    /// <summary>SNI to send; <see langword="null"/> sends the upstream host.</summary>
    public string? Sni { get; init; }

    /// <summary><c>insecureSkipVerify</c>: no chain or name check (logged as a warning).</summary>
    public bool InsecureSkipVerify { get; init; }
}

/// <summary>Istio <c>ClientTLSSettings.TLSmode</c>.</summary>
internal enum UpstreamTlsMode
{
    /// <summary>Plain text, even to an <c>https://</c> endpoint address.</summary>
    Disable = 0,
    Simple = 1,
    Mutual = 2,

    /// <summary>MUTUAL with the mesh identity the application configures once.</summary>
    IstioMutual = 3,
}
