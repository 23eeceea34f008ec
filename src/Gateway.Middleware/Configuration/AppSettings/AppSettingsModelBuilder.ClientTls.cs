using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary><c>Tls</c> (Istio <c>ClientTLSSettings</c>): how the gateway originates TLS to the upstream.</summary>
internal sealed partial class AppSettingsModelBuilder
{
    /// <summary>
    /// <c>{ "Mode": "MUTUAL", "ClientCertificate": "...", "PrivateKey": "...", "CaCertificates": "...",
    /// "SubjectAltNames": [ ... ], "Sni": "...", "InsecureSkipVerify": false }</c>. A <c>Tls</c> section without
    /// <c>Mode</c> means SIMPLE (Istio's default is DISABLE: writing the section is taken as asking for TLS).
    /// Relative file paths are resolved against the current directory.
    /// </summary>
    /// <param name="node">The section.</param>
    /// <param name="trustedRoots">Reads <c>CaCertificates</c> once, now, instead of as a file path re-read on change.</param>
    private UpstreamTlsConfig? ReadClientTls(ConfigNode? node, Func<ConfigNode?, X509Certificate2Collection?>? trustedRoots = null)
    {
        if (Object(node, "Mode", "ClientCertificate", "PrivateKey", "CaCertificates", "SubjectAltNames", "Sni", "InsecureSkipVerify", "CredentialName") is not { } fields)
        {
            return null;
        }

        if (!Absent(fields["CredentialName"]))
        {
            Error(fields["CredentialName"]!, "not supported for upstream TLS: the gateway reads upstream TLS material from files; use ClientCertificate, PrivateKey and CaCertificates");
        }

        var mode = OneOf(fields["Mode"], "DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL");
        return new UpstreamTlsConfig
        {
            Mode = mode switch
            {
                "DISABLE" => UpstreamTlsMode.Disable,
                "MUTUAL" => UpstreamTlsMode.Mutual,
                "ISTIO_MUTUAL" => UpstreamTlsMode.IstioMutual,
                _ => UpstreamTlsMode.Simple,
            },
            ClientCertificatePath = FilePath(fields["ClientCertificate"]),
            PrivateKeyPath = FilePath(fields["PrivateKey"]),
            CaCertificatesPath = trustedRoots is null ? FilePath(fields["CaCertificates"]) : null,
            TrustedRoots = trustedRoots?.Invoke(fields["CaCertificates"]),
            SubjectAltNames = StringList(fields["SubjectAltNames"]),
            Sni = String(fields["Sni"]) is { Length: > 0 } sni ? sni : null,
            InsecureSkipVerify = Bool(fields["InsecureSkipVerify"]) ?? false,
        };
    }

    /// <summary>A certificate or key file (upstream or server TLS): a full path, relative to the working directory; empty is an error.</summary>
    private string? FilePath(ConfigNode? node)
    {
        if (String(node) is not { } path)
        {
            return null;
        }

        if (path.Length == 0)
        {
            Error(node!, "must not be empty");
            return null;
        }

        return Path.GetFullPath(path);
    }
}
