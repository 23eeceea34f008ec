using System.Security.Authentication;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// Istio <c>Gateway.servers[].tls</c> (ServerTLSSettings) and Gateway API listener <c>tls</c> → server TLS
/// settings, with errors at the exact YAML path.
/// </summary>
public sealed class ServerTlsYamlTests
{
    private static string IstioHttps(string tls) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [bookinfo.example.com]
            tls: {{{tls}}}
        """;

    private static string ListenerHttps(string tls, string ns = "default") => $$$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: {{{ns}}}}
        spec:
          gatewayClassName: gateway-middleware
          listeners:
          - {name: https, port: 443, protocol: HTTPS, hostname: bookinfo.example.com, tls: {{{tls}}}}
        """;

    [Fact]
    public void Istio_MutualWithFiles_RelativePathsAgainstYamlFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "yaml-folder");
        var result = IstioYaml.Load(
            [("gw.yaml", IstioHttps("{mode: MUTUAL, serverCertificate: certs/tls.crt, privateKey: /abs/tls.key, caCertificates: ca.pem, subjectAltNames: [spiffe://cluster.local/ns/a/sa/b], minProtocolVersion: TLSV1_3}"))],
            validateModel: true,
            baseDirectory: folder);

        Assert.Empty(result.Errors);
        var server = Assert.Single(result.Config.Servers);
        var tls = server.TlsSettings!;
        Assert.True(server.Tls);
        Assert.Equal(ServerTlsMode.Mutual, tls.Mode);
        Assert.Equal(Path.Combine(folder, "certs", "tls.crt"), tls.CertificatePath);
        Assert.Equal("/abs/tls.key", tls.KeyPath);
        Assert.Equal(Path.Combine(folder, "ca.pem"), tls.CaCertificatesPath);
        Assert.Equal(["spiffe://cluster.local/ns/a/sa/b"], tls.SubjectAltNames);
        Assert.Equal((SslProtocols.Tls13, SslProtocols.Tls13), (tls.MinProtocolVersion, tls.MaxProtocolVersion));
        Assert.Equal("gw.yaml#1 Gateway istio-system/gw: spec.servers[0].tls", tls.Where);
    }

    [Fact]
    public void Istio_CredentialName_SecretInGatewayNamespace()
    {
        var tls = Assert.Single(Yaml.Config(IstioHttps("{mode: OPTIONAL_MUTUAL, credentialName: bookinfo-cert}")).Servers).TlsSettings!;

        Assert.Equal(ServerTlsMode.OptionalMutual, tls.Mode);
        Assert.Equal(new ServerTlsSecretReference("istio-system", "bookinfo-cert", "credentialName"), tls.Secret);
        Assert.Null(tls.CertificatePath);
    }

    [Theory]
    [InlineData("{mode: ISTIO_MUTUAL}", "spec.servers[0].tls.mode: ISTIO_MUTUAL is not supported on a gateway server")]
    [InlineData("{mode: SIMPLE, credentialName: c, caCrl: crl.pem}", "spec.servers[0].tls.caCrl: not supported by the gateway")]
    [InlineData("{mode: SIMPLE, credentialName: c, verifyCertificateHash: [ab]}", "spec.servers[0].tls.verifyCertificateHash: not supported by the gateway")]
    [InlineData("{mode: SIMPLE, credentialName: c, maxProtocolVersion: TLSV1_1}", "spec.servers[0].tls.maxProtocolVersion: TLSV1_1 is not supported")]
    [InlineData("{mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_3, maxProtocolVersion: TLSV1_2}", "spec.servers[0].tls.minProtocolVersion: TLSV1_3 is above maxProtocolVersion TLSV1_2")]
    [InlineData("{mode: SIMPLE}", "spec.servers[0].tls: a certificate is required: serverCertificate and privateKey, or credentialName")]
    [InlineData("{mode: SIMPLE, serverCertificate: a.crt}", "spec.servers[0].tls: serverCertificate and privateKey must be given together")]
    [InlineData("{mode: MUTUAL, serverCertificate: a.crt, privateKey: a.key}", "spec.servers[0].tls.caCertificates: required for mode MUTUAL")]
    public void Istio_Invalid_ErrorAtYamlPath(string tls, string expected)
    {
        var result = Yaml.Load(IstioHttps(tls));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("test.yaml#1 Gateway istio-system/gw: " + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Istio_CipherSuitesAndOldMinimum_WarningsOnly()
    {
        var result = Yaml.Load(IstioHttps("{mode: SIMPLE, credentialName: c, cipherSuites: [ECDHE-RSA-AES256-GCM-SHA384], minProtocolVersion: TLSV1_0}"));

        Assert.Empty(result.Errors);
        Assert.Contains(result.Warnings, w => w.Contains("spec.servers[0].tls.cipherSuites: ignored", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("spec.servers[0].tls.minProtocolVersion: TLSV1_0 is raised to TLSV1_2", StringComparison.Ordinal));
        Assert.Equal(SslProtocols.Tls12, result.Config.Servers[0].TlsSettings!.MinProtocolVersion);
    }

    [Fact]
    public void GatewayApi_CertificateRef_SecretDefaultsToGatewayNamespace()
    {
        var result = Yaml.Load(ListenerHttps("{mode: Terminate, certificateRefs: [{name: bookinfo-cert}], options: {a: b}}"));

        Assert.Empty(result.Errors);
        Assert.Contains(result.Warnings, w => w.Contains("spec.listeners[0].tls.options: ignored", StringComparison.Ordinal));
        var tls = Assert.Single(result.Config.Servers).TlsSettings!;
        Assert.Equal(new ServerTlsSecretReference("default", "bookinfo-cert", "certificateRefs[0]"), tls.Secret);
        Assert.Equal(ServerTlsMode.Simple, tls.Mode);
    }

    [Theory]
    [InlineData("{mode: Terminate}", "spec.listeners[0].tls.certificateRefs: at least one certificate reference is required")]
    [InlineData("{mode: Terminate, certificateRefs: [{kind: ConfigMap, name: c}]}", "spec.listeners[0].tls.certificateRefs[0]: ConfigMap is not supported: only core Secrets")]
    [InlineData("{mode: Terminate, certificateRefs: [{name: c, namespace: certs}]}", "spec.listeners[0].tls.certificateRefs[0]: no ReferenceGrant in namespace certs lets Gateways of default reference Secret c")]
    public void GatewayApi_Invalid_ErrorAtYamlPath(string tls, string expected)
    {
        var result = Yaml.Load(ListenerHttps(tls));

        Assert.Contains(result.Errors, e => e.StartsWith("test.yaml#1 Gateway default/gw: " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public void GatewayApi_CrossNamespaceSecretWithReferenceGrant_Accepted()
    {
        var result = Yaml.Load(ListenerHttps("{mode: Terminate, certificateRefs: [{name: c, namespace: certs}]}"), """
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: allow-gateways, namespace: certs}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: default}]
              to: [{group: "", kind: Secret}]
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(new ServerTlsSecretReference("certs", "c", "certificateRefs[0]"), result.Config.Servers[0].TlsSettings!.Secret);
    }
}
