using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>DestinationRule <c>tls</c> (Istio <c>ClientTLSSettings</c>) → <see cref="UpstreamTlsConfig"/>.</summary>
internal sealed partial class YamlModelBuilder
{
    private UpstreamTlsConfig? ReadClientTls(YamlResource rule, YamlMappingNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        var mode = String(node, "mode");
        if (mode is null && node.Children.Count > 0)
        {
            _diagnostics.Warning(rule, $"{path}.mode", "not set: Istio's default is DISABLE, so the gateway connects in plain text and the other tls fields have no effect");
        }

        if (!string.IsNullOrEmpty(String(node, "credentialName")))
        {
            _diagnostics.Error(rule, $"{path}.credentialName", "not supported for DestinationRule: the gateway reads upstream TLS material from files; use clientCertificate, privateKey and caCertificates");
        }

        WarnNotApplied(rule, node, path, "caCrl", "certificate revocation is not checked");
        return new UpstreamTlsConfig
        {
            Mode = mode switch
            {
                "SIMPLE" => UpstreamTlsMode.Simple,
                "MUTUAL" => UpstreamTlsMode.Mutual,
                "ISTIO_MUTUAL" => UpstreamTlsMode.IstioMutual,
                _ => UpstreamTlsMode.Disable,
            },
            ClientCertificatePath = FilePath(rule, String(node, "clientCertificate")),
            PrivateKeyPath = FilePath(rule, String(node, "privateKey")),
            CaCertificatesPath = FilePath(rule, String(node, "caCertificates")),
            SubjectAltNames = Strings(node, "subjectAltNames"),
            Sni = String(node, "sni") is { Length: > 0 } sni ? sni : null,
            InsecureSkipVerify = Bool(node, "insecureSkipVerify") ?? false,
        };
    }
}
