using System.Security.Authentication;
using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Istio <c>Gateway.servers[].tls</c> (<c>ServerTLSSettings</c>) and Gateway API listener <c>tls</c> →
/// <see cref="ServerTlsConfig"/>. Relative file paths resolve against the YAML file's folder; secret
/// references resolve against <c>GatewayTlsOptions.SecretsDirectory</c> when the configuration compiles.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    /// <summary>Fields whose checks the gateway cannot make: ignoring them would accept clients Istio refuses.</summary>
    private static readonly string[] UnsupportedServerTlsFields = ["caCrl", "verifyCertificateSpki", "verifyCertificateHash", "tlsCertificates", "credentialNames"];

    /// <summary>The settings of an HTTPS server in mode SIMPLE, MUTUAL or OPTIONAL_MUTUAL; null after an error.</summary>
    private ServerTlsConfig? IstioServerTls(YamlResource gateway, string path, YamlMappingNode tls, string mode)
    {
        var valid = true;
        var serverMode = mode switch
        {
            "MUTUAL" => ServerTlsMode.Mutual,
            "OPTIONAL_MUTUAL" => ServerTlsMode.OptionalMutual,
            _ => ServerTlsMode.Simple,
        };
        if (mode == "ISTIO_MUTUAL")
        {
            // The mesh's workload certificate and root belong to the sidecar proxy; the gateway has neither.
            _diagnostics.Error(gateway, $"{path}.mode", "ISTIO_MUTUAL is not supported on a gateway server: use MUTUAL with serverCertificate, privateKey and caCertificates (or credentialName)");
            valid = false;
        }

        foreach (var field in UnsupportedServerTlsFields)
        {
            if (Has(tls, field))
            {
                _diagnostics.Error(gateway, $"{path}.{field}", "not supported by the gateway");
                valid = false;
            }
        }

        if (Has(tls, "cipherSuites"))
        {
            _diagnostics.Warning(gateway, $"{path}.cipherSuites", "ignored: the platform's TLS library chooses the cipher suites of TLS 1.2 and 1.3");
        }

        var credential = String(tls, "credentialName");
        ServerTlsSecretReference? secret = null;
        if (!string.IsNullOrEmpty(credential))
        {
            secret = new ServerTlsSecretReference(gateway.Namespace, credential, "credentialName");
            if (Has(tls, "serverCertificate") || Has(tls, "privateKey") || Has(tls, "caCertificates"))
            {
                _diagnostics.Warning(gateway, $"{path}.credentialName", "takes precedence: serverCertificate, privateKey and caCertificates are ignored (Istio)");
            }
        }

        var min = ProtocolVersion(gateway, $"{path}.minProtocolVersion", String(tls, "minProtocolVersion"), SslProtocols.Tls12, isMax: false, ref valid);
        var max = ProtocolVersion(gateway, $"{path}.maxProtocolVersion", String(tls, "maxProtocolVersion"), SslProtocols.Tls13, isMax: true, ref valid);
        if (!valid)
        {
            return null;
        }

        return new ServerTlsConfig
        {
            Mode = serverMode,
            CertificatePath = secret is null ? FilePath(gateway, String(tls, "serverCertificate")) : null,
            KeyPath = secret is null ? FilePath(gateway, String(tls, "privateKey")) : null,
            CaCertificatesPath = secret is null ? FilePath(gateway, String(tls, "caCertificates")) : null,
            Secret = secret,
            SubjectAltNames = Strings(tls, "subjectAltNames"),
            MinProtocolVersion = min,
            MaxProtocolVersion = max,
            Where = $"{gateway.Source}: {path}",
        };
    }

    /// <summary>
    /// A Gateway API HTTPS listener: <c>mode: Terminate</c> with the first <c>certificateRefs</c> entry (a Secret,
    /// in the Gateway's namespace unless a ReferenceGrant admits another); <c>options</c> are ignored.
    /// </summary>
    private ServerTlsConfig? ListenerTls(YamlResource gateway, string path, YamlMappingNode tls)
    {
        if (Has(tls, "options"))
        {
            _diagnostics.Warning(gateway, $"{path}.options", "ignored: no implementation-specific TLS options are understood");
        }

        if (Has(tls, "frontendValidation"))
        {
            _diagnostics.Error(gateway, $"{path}.frontendValidation", "not supported: client certificate validation is configured with an Istio Gateway (tls.mode MUTUAL)");
            return null;
        }

        var refs = Maps(tls, "certificateRefs").ToList();
        if (refs.Count == 0)
        {
            _diagnostics.Error(gateway, $"{path}.certificateRefs", "at least one certificate reference is required for mode Terminate");
            return null;
        }

        if (refs.Count > 1)
        {
            _diagnostics.Warning(gateway, Index($"{path}.certificateRefs", 1), "only the first certificate reference is served");
        }

        var reference = refs[0].Item;
        var where = Index($"{path}.certificateRefs", 0);
        var group = String(reference, "group") ?? "";
        var kind = String(reference, "kind") ?? "Secret";
        var name = String(reference, "name");
        var ns = String(reference, "namespace") ?? gateway.Namespace;
        if (group.Length > 0 || kind != "Secret")
        {
            _diagnostics.Error(gateway, where, $"{(group.Length > 0 ? group + "/" : "")}{kind} is not supported: only core Secrets");
            return null;
        }

        if (string.IsNullOrEmpty(name))
        {
            _diagnostics.Error(gateway, $"{where}.name", "required");
            return null;
        }

        if (ns != gateway.Namespace && !SecretGranted(gateway, ns, name))
        {
            _diagnostics.Error(gateway, where, $"no ReferenceGrant in namespace {ns} lets Gateways of {gateway.Namespace} reference Secret {name}");
            return null;
        }

        return new ServerTlsConfig
        {
            Secret = new ServerTlsSecretReference(ns, name, "certificateRefs[0]"),
            Where = $"{gateway.Source}: {path}",
        };
    }

    private SslProtocols ProtocolVersion(YamlResource gateway, string path, string? value, SslProtocols fallback, bool isMax, ref bool valid)
    {
        switch (value)
        {
            case null or "TLS_AUTO":
                return fallback;
            case "TLSV1_2":
                return SslProtocols.Tls12;
            case "TLSV1_3":
                return SslProtocols.Tls13;
            case "TLSV1_0" or "TLSV1_1" when !isMax:
                _diagnostics.Warning(gateway, path, $"{value} is raised to TLSV1_2: versions before TLS 1.2 are not served");
                return SslProtocols.Tls12;
            default:
                _diagnostics.Error(gateway, path, $"{value} is not supported: the gateway serves TLSV1_2 and TLSV1_3");
                valid = false;
                return fallback;
        }
    }

    /// <summary>Whether a ReferenceGrant in <paramref name="ns"/> admits Gateways of the gateway's namespace to Secret <paramref name="name"/>.</summary>
    private bool SecretGranted(YamlResource gateway, string ns, string name)
    {
        foreach (var grant in OfKind(YamlKinds.GatewayApi, "ReferenceGrant"))
        {
            if (grant.Namespace != ns)
            {
                continue;
            }

            var from = Maps(grant.Spec, "from").Any(f => String(f.Item, "group") == YamlKinds.GatewayApi
                && String(f.Item, "kind") == "Gateway" && String(f.Item, "namespace") == gateway.Namespace);
            var to = Maps(grant.Spec, "to").Any(t => (String(t.Item, "group") ?? "") == "" && String(t.Item, "kind") == "Secret"
                && (String(t.Item, "name") is null || String(t.Item, "name") == name));
            if (from && to)
            {
                return true;
            }
        }

        return false;
    }
}
