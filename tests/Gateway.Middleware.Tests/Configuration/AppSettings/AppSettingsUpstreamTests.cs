using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>
/// <c>Gateway:Servers</c> and <c>Gateway:Upstreams</c> bind to the model as <c>AddServer</c> and
/// <c>AddUpstream</c> declare them, each keyed by its name and recording its section path.
/// </summary>
public sealed class AppSettingsUpstreamTests
{
    [Fact]
    public void Servers_PortHostsTls_BoundWithNameAndSectionPath()
    {
        var config = AppSettings.Config("""
            { "Gateway": { "Servers": {
              "https": { "Port": 443, "Hosts": [ "*.example.com", "example.com" ], "Tls": true },
              "http": { "Port": 80 }
            } } }
            """);

        var https = config.Servers.Single(s => s.Name == "https");
        Assert.Equal(443, https.Port);
        Assert.Equal(["*.example.com", "example.com"], https.Hosts);
        Assert.True(https.Tls);
        Assert.Equal("Gateway:Servers:https", https.Source);
        var http = config.Servers.Single(s => s.Name == "http");
        Assert.Equal(["*"], http.Hosts); // AddServer's default
        Assert.False(http.Tls);
    }

    [Fact]
    public void Upstreams_EndpointsLabelsServicePortSubsets_Bound()
    {
        var config = AppSettings.Config("""
            { "Gateway": { "Upstreams": { "reviews": {
              "Endpoints": [
                { "Address": "http://127.0.0.1:9081", "Labels": { "version": "v1", "zone": "a" }, "ServicePort": 9080 },
                { "Address": "http://127.0.0.1:9082", "Labels": { "version": "v2" } },
                "http://127.0.0.1:9083"
              ],
              "Subsets": { "v1": { "Labels": { "version": "v1" } }, "all": {} },
              "Protocol": "Http2",
              "ConnectTimeout": "00:00:02"
            } } } }
            """);

        var reviews = AppSettings.Upstream(config, "reviews");
        Assert.Equal("Gateway:Upstreams:reviews", reviews.Source);
        Assert.Equal(["http://127.0.0.1:9081", "http://127.0.0.1:9082", "http://127.0.0.1:9083"], reviews.Endpoints.Select(e => e.Address));
        Assert.Equal(new Dictionary<string, string> { ["version"] = "v1", ["zone"] = "a" }, reviews.Endpoints[0].Labels);
        Assert.Equal(9080, reviews.Endpoints[0].ServicePort);
        Assert.Null(reviews.Endpoints[1].ServicePort);
        Assert.Empty(reviews.Endpoints[2].Labels);
        Assert.Equal(["all", "v1"], reviews.Subsets.Select(s => s.Name).Order());
        Assert.Equal(new Dictionary<string, string> { ["version"] = "v1" }, reviews.Subsets.Single(s => s.Name == "v1").Labels);
        Assert.Empty(reviews.Subsets.Single(s => s.Name == "all").Labels);
        Assert.Equal(UpstreamProtocol.Http2, reviews.Protocol);
        Assert.Equal(TimeSpan.FromSeconds(2), reviews.ConnectTimeout);
        Assert.Null(reviews.Tls);
    }

    [Fact]
    public void Upstreams_Unset_DefaultsOfAddUpstream()
    {
        var upstream = AppSettings.Upstream(AppSettings.Config("""{ "Gateway": { "Upstreams": { "up": { "Endpoints": [ "http://127.0.0.1:1" ] } } } }"""), "up");

        Assert.Equal(UpstreamProtocol.Http1, upstream.Protocol);
        Assert.Equal(TimeSpan.FromSeconds(10), upstream.ConnectTimeout); // Envoy's cluster default
        Assert.Empty(upstream.Subsets);
    }

    [Theory]
    [InlineData("Http1", UpstreamProtocol.Http1)]
    [InlineData("http2", UpstreamProtocol.Http2)]
    [InlineData("AUTO", UpstreamProtocol.Auto)]
    public void Upstreams_Protocol_NamesCaseInsensitive(string text, UpstreamProtocol expected)
    {
        var config = AppSettings.Config($$"""{ "Gateway": { "Upstreams": { "up": { "Protocol": "{{text}}" } } } }""");

        Assert.Equal(expected, AppSettings.Upstream(config, "up").Protocol);
    }

    [Fact]
    public void Upstreams_Tls_SniAndCaCertificatesFromPemFile()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = new CertificateRequest("CN=Test Root", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pem = Path.Combine(Path.GetTempPath(), $"gw-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(pem, root.ExportCertificatePem());
        try
        {
            var config = AppSettings.Config($$"""
                { "Gateway": { "Upstreams": { "ratings": {
                  "Endpoints": [ "https://127.0.0.1:9443" ],
                  "Tls": { "Sni": "ratings.internal", "CaCertificates": "{{pem.Replace("\\", "\\\\", StringComparison.Ordinal)}}" }
                } } } }
                """);

            var tls = AppSettings.Upstream(config, "ratings").Tls!;
            Assert.Equal("ratings.internal", tls.Sni);
            Assert.Equal(root.Thumbprint, Assert.Single(tls.TrustedRoots!).Thumbprint);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public void Upstreams_TlsCaCertificatesMissingFile_ErrorNamesTheKey()
    {
        var result = AppSettings.Load("""{ "Gateway": { "Upstreams": { "up": { "Tls": { "CaCertificates": "no-such-ca.pem" } } } } }""");

        Assert.StartsWith("Gateway:Upstreams:up:Tls:CaCertificates: cannot read 'no-such-ca.pem': ", Assert.Single(result.Errors), StringComparison.Ordinal);
    }
}
