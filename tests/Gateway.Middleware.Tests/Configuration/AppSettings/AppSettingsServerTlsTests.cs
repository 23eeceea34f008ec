using System.Security.Authentication;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary><c>Gateway:Servers:{name}:Tls</c> as an object: the server's own TLS settings, and <c>HttpsRedirect</c>.</summary>
public sealed class AppSettingsServerTlsTests
{
    [Fact]
    public void Servers_TlsObject_BoundToServerTlsSettings()
    {
        var config = AppSettings.Config("""
            { "Gateway": { "Servers": {
              "https": { "Port": 443, "Hosts": [ "bookinfo.example.com" ], "Tls": {
                "Mode": "MUTUAL", "ServerCertificate": "/certs/tls.crt", "PrivateKey": "/certs/tls.key", "CaCertificates": "/certs/ca.crt",
                "SubjectAltNames": [ "spiffe://cluster.local/ns/default/sa/sleep" ], "MinProtocolVersion": "TLSV1_3" } },
              "http": { "Port": 80, "HttpsRedirect": true },
              "secret": { "Port": 8443, "Tls": { "CredentialName": "istio-system/bookinfo-cert" } }
            } } }
            """);

        var https = config.Servers.Single(s => s.Name == "https");
        Assert.True(https.Tls);
        var tls = https.TlsSettings!;
        Assert.Equal(ServerTlsMode.Mutual, tls.Mode);
        Assert.Equal(("/certs/tls.crt", "/certs/tls.key", "/certs/ca.crt"), (tls.CertificatePath, tls.KeyPath, tls.CaCertificatesPath));
        Assert.Equal(["spiffe://cluster.local/ns/default/sa/sleep"], tls.SubjectAltNames);
        Assert.Equal((SslProtocols.Tls13, SslProtocols.Tls13), (tls.MinProtocolVersion, tls.MaxProtocolVersion));
        Assert.Equal("Gateway:Servers:https:Tls", tls.Where);
        var http = config.Servers.Single(s => s.Name == "http");
        Assert.True(http.HttpsRedirect);
        Assert.False(http.Tls);
        Assert.Equal(new ServerTlsSecretReference("istio-system", "bookinfo-cert", "CredentialName"), config.Servers.Single(s => s.Name == "secret").TlsSettings!.Secret);
    }

    /// <summary>An empty path is an error naming the key (the upstream Tls section reads its files the same way).</summary>
    [Fact]
    public void Servers_TlsEmptyCertificatePath_ErrorNamesTheKey()
    {
        var result = AppSettings.Load("""
            { "Gateway": { "Servers": { "https": { "Port": 443, "Tls": { "ServerCertificate": "", "PrivateKey": "/certs/tls.key" } } } } }
            """);

        Assert.Contains("Gateway:Servers:https:Tls:ServerCertificate: must not be empty", result.Errors);
    }
}
