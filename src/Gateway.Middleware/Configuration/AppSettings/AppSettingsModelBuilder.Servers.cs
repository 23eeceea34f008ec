using System.Security.Authentication;

namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>
/// <c>Gateway:Servers:{name}</c>: an Istio Gateway <c>servers</c> entry, as <c>AddServer(name, ...)</c>.
/// <c>Tls</c> is <c>true</c> (the application's Kestrel HTTPS settings give the certificate) or an object with
/// the server's own TLS settings (Istio <c>ServerTLSSettings</c> field names in PascalCase).
/// </summary>
internal sealed partial class AppSettingsModelBuilder
{
    private List<ServerConfig> ReadServers(ConfigNode? node)
    {
        var servers = new List<ServerConfig>();
        foreach (var entry in Map(node))
        {
            var fields = Object(entry, "Port", "Hosts", "Tls", "HttpsRedirect") ?? ConfigObject.Empty;
            var tlsNode = fields["Tls"];
            var settings = tlsNode is { Children.Count: > 0 } ? ReadServerTls(tlsNode) : null;
            servers.Add(new ServerConfig
            {
                Name = entry.Key,
                Port = Int(fields["Port"]),

                // Absent: every host, as AddServer. An explicit [] stays empty and the validator refuses it.
                Hosts = Absent(fields["Hosts"]) ? ["*"] : StringList(fields["Hosts"]),
                Tls = settings is not null || (tlsNode is { Children.Count: 0 } && (Bool(tlsNode) ?? false)),
                TlsSettings = settings,
                HttpsRedirect = Bool(fields["HttpsRedirect"]) ?? false,
                Source = entry.Path,
            });
        }

        return servers;
    }

    /// <summary>Relative file paths are relative to the current directory, as <c>Upstreams:*:Tls:CaCertificates</c>.</summary>
    private ServerTlsConfig? ReadServerTls(ConfigNode node)
    {
        if (Object(node, "Mode", "ServerCertificate", "PrivateKey", "CaCertificates", "CredentialName", "SubjectAltNames", "MinProtocolVersion", "MaxProtocolVersion") is not { } fields)
        {
            return null;
        }

        var credential = String(fields["CredentialName"]);
        return new ServerTlsConfig
        {
            Mode = OneOf(fields["Mode"], "SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL") switch
            {
                "MUTUAL" => ServerTlsMode.Mutual,
                "OPTIONAL_MUTUAL" => ServerTlsMode.OptionalMutual,
                _ => ServerTlsMode.Simple,
            },
            CertificatePath = FilePath(fields["ServerCertificate"]),
            KeyPath = FilePath(fields["PrivateKey"]),
            CaCertificatesPath = FilePath(fields["CaCertificates"]),

            // "namespace/name", or a name in the "default" namespace.
            Secret = credential is null ? null : credential.Split('/', 2) is [var ns, var name] ? new(ns, name, "CredentialName") : new("default", credential, "CredentialName"),
            SubjectAltNames = StringList(fields["SubjectAltNames"]),
            MinProtocolVersion = Version(fields["MinProtocolVersion"]) ?? SslProtocols.Tls12,
            MaxProtocolVersion = Version(fields["MaxProtocolVersion"]) ?? SslProtocols.Tls13,
            Where = node.Path,
        };
    }

    private SslProtocols? Version(ConfigNode? node) => OneOf(node, "TLSV1_2", "TLSV1_3") switch
    {
        "TLSV1_2" => SslProtocols.Tls12,
        "TLSV1_3" => SslProtocols.Tls13,
        _ => null,
    };
}
