using System.Security.Authentication;

namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigValidator
{
    /// <summary>
    /// Istio's ServerTLSSettings validation: a certificate (files, secret or memory), a client CA for the
    /// mutual modes, versions in order. Whether the files load is checked when TLS compiles.
    /// </summary>
    private static void ValidateServerTls(ServerTlsConfig tls, List<string> errors)
    {
        var hasFiles = tls.CertificatePath is not null || tls.KeyPath is not null;
        if (hasFiles && (tls.CertificatePath is null || tls.KeyPath is null))
        {
            errors.Add($"{tls.Where}: serverCertificate and privateKey must be given together");
        }
        else if (!hasFiles && tls.Certificate is null && tls.Secret is null)
        {
            errors.Add($"{tls.Where}: a certificate is required: serverCertificate and privateKey, or credentialName");
        }

        if (tls.Certificate is { HasPrivateKey: false })
        {
            errors.Add($"{tls.Where}: the certificate '{tls.Certificate.Subject}' has no private key");
        }

        if (tls.Mode != ServerTlsMode.Simple && tls.CaCertificatesPath is null && tls.CaCertificates is not { Count: > 0 } && tls.Secret is null)
        {
            errors.Add($"{tls.Where}.caCertificates: required for mode {(tls.Mode == ServerTlsMode.Mutual ? "MUTUAL" : "OPTIONAL_MUTUAL")} (the CA that client certificates must chain to)");
        }

        for (var i = 0; i < tls.SubjectAltNames.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tls.SubjectAltNames[i]))
            {
                errors.Add($"{tls.Where}.subjectAltNames[{i}]: must not be empty");
            }
        }

        if (!IsSupportedVersion(tls.MinProtocolVersion))
        {
            errors.Add($"{tls.Where}.minProtocolVersion: only TLS 1.2 and TLS 1.3 are supported, got {tls.MinProtocolVersion}");
        }
        else if (!IsSupportedVersion(tls.MaxProtocolVersion))
        {
            errors.Add($"{tls.Where}.maxProtocolVersion: only TLS 1.2 and TLS 1.3 are supported, got {tls.MaxProtocolVersion}");
        }
        else if (tls.MinProtocolVersion > tls.MaxProtocolVersion)
        {
            errors.Add($"{tls.Where}.minProtocolVersion: {Version(tls.MinProtocolVersion)} is above maxProtocolVersion {Version(tls.MaxProtocolVersion)}");
        }
    }

    private static bool IsSupportedVersion(SslProtocols version) => version is SslProtocols.Tls12 or SslProtocols.Tls13;

    private static string Version(SslProtocols version) => version == SslProtocols.Tls13 ? "TLSV1_3" : "TLSV1_2";
}
