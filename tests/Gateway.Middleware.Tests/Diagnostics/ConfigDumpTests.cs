using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Diagnostics;

namespace Gateway.Middleware.Tests.Diagnostics;

/// <summary>
/// <c>/config_dump</c>'s document (the equivalent of <c>istioctl proxy-config listeners/routes/clusters</c>): what a
/// compiled snapshot shows, in match order, with sources, and never a private key.
/// </summary>
public sealed class ConfigDumpTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gw-dump-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Build_TlsServerRoutesAndClusters_ShowsCertificateMetadataPolicyAndLiveStateButNoKey()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=bookinfo.example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("bookinfo.example.com");
        request.CertificateExtensions.Add(names.Build());
        var notAfter = new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), notAfter);
        var certPath = Path.Combine(_folder, "cert.pem");
        var keyPath = Path.Combine(_folder, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        File.WriteAllText(keyPath, keyPem);

        var config = new GatewayConfig(
            [
                new RouteConfig
                {
                    Name = "reviews-v2",
                    Hosts = ["bookinfo.example.com"],
                    Matches = [new RouteMatchConfig { Path = new StringMatchConfig(StringMatchKind.Prefix, "/reviews"), Headers = [new NamedMatchConfig("end-user", new StringMatchConfig(StringMatchKind.Exact, "jason"))] }],
                    Destinations = [new DestinationConfig("reviews", 90) { Subset = "v1" }, new DestinationConfig("reviews", 10) { Subset = "v2" }],
                    Timeout = TimeSpan.FromSeconds(3),
                    Retries = new RetryConfig { Attempts = 3, PerTryTimeout = TimeSpan.FromMilliseconds(500), RetryOn = ["5xx"] },
                    Source = "vs.yaml#2 VirtualService default/reviews",
                    SourcePath = "spec.http[0]",
                },
                new RouteConfig
                {
                    Name = "catch-all",
                    Hosts = ["bookinfo.example.com"],
                    Destinations = [new DestinationConfig("reviews", 100)],
                    Source = "vs.yaml#2 VirtualService default/reviews",
                    SourcePath = "spec.http[1]",
                },
            ],
            [
                new UpstreamConfig
                {
                    Name = "reviews",
                    Endpoints =
                    [
                        new EndpointConfig("https://10.0.0.1:9443") { Labels = new Dictionary<string, string> { ["version"] = "v1" } },
                        new EndpointConfig("https://10.0.0.2:9443") { Labels = new Dictionary<string, string> { ["version"] = "v2" } },
                    ],
                    Subsets = [new SubsetConfig("v1", new Dictionary<string, string> { ["version"] = "v1" }), new SubsetConfig("v2", new Dictionary<string, string> { ["version"] = "v2" })],
                    TrafficPolicy = new TrafficPolicyConfig
                    {
                        LoadBalancer = new LoadBalancerConfig { Policy = LoadBalancerPolicy.RoundRobin },
                        ConnectionPool = new ConnectionPoolConfig { Http2MaxRequests = 100 },
                        OutlierDetection = new OutlierDetectionConfig { Consecutive5xxErrors = 3 },
                        Tls = new UpstreamTlsConfig { Mode = UpstreamTlsMode.Simple, Sni = "reviews.internal", SubjectAltNames = ["reviews.internal"] },
                        Source = "dr.yaml#1 DestinationRule default/reviews",
                    },
                    Source = "se.yaml#1 ServiceEntry default/reviews",
                },
            ])
        {
            Servers =
            [
                new ServerConfig
                {
                    Name = "https",
                    Port = 443,
                    Hosts = ["bookinfo.example.com"],
                    Tls = true,
                    TlsSettings = new ServerTlsConfig { CertificatePath = certPath, KeyPath = keyPath },
                    Source = "gw.yaml#1 Gateway default/bookinfo",
                },
            ],
        };
        using var snapshot = GatewayConfigCompiler.Compile(config);
        var v1 = snapshot.Servers.ForPort(443).VirtualHosts[0].Routes[0].Action.Destinations[0].Cluster;
        v1.EndpointStates[0].Ejected = true;

        var dump = ConfigDump.Build(snapshot, 7);
        var text = dump.ToJsonString(ConfigDump.Options);

        Assert.Equal(7, (long)dump["generation"]!);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain(keyPem.Split('\n')[1], text, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN CERTIFICATE", text, StringComparison.Ordinal);

        var server = dump["servers"]![0]!;
        Assert.Equal(443, (int)server["port"]!);
        Assert.Equal(keyPath, (string)server["tls"]!["privateKey"]!);
        Assert.Equal("CN=bookinfo.example.com", (string)server["tls"]!["certificate"]!["subject"]!);
        Assert.Equal("bookinfo.example.com", (string)server["tls"]!["certificate"]!["dnsNames"]![0]!);
        Assert.Equal("2031-01-02T03:04:05.0000000Z", (string)server["tls"]!["certificate"]!["notAfter"]!);

        var table = dump["routes"]![0]!;
        Assert.Equal("443", (string)table["port"]!);
        var routes = table["virtualHosts"]![0]!["routes"]!.AsArray();
        Assert.Equal(["reviews-v2", "catch-all"], routes.Select(r => (string)r!["name"]!));
        var first = routes[0]!;
        Assert.Equal("/reviews", (string)first["match"]![0]!["uri"]!["prefix"]!);
        Assert.Equal("jason", (string)first["match"]![0]!["headers"]!["end-user"]!["exact"]!);
        Assert.Equal([90, 10], first["destinations"]!.AsArray().Select(d => (int)d!["weight"]!));
        Assert.Equal(["v1", "v2"], first["destinations"]!.AsArray().Select(d => (string)d!["subset"]!));
        Assert.Equal("3s", (string)first["timeout"]!);
        Assert.Equal(3, (int)first["retries"]!["attempts"]!);
        Assert.Equal("0.5s", (string)first["retries"]!["perTryTimeout"]!);
        Assert.Equal("vs.yaml#2 VirtualService default/reviews", (string)first["source"]!);
        Assert.Equal("spec.http[0]", (string)first["sourcePath"]!);

        var clusters = dump["clusters"]!.AsArray();
        // Sorted by name, ordinally.
        Assert.Equal(["outbound||v1|reviews", "outbound||v2|reviews", "outbound|||reviews"], clusters.Select(c => (string)c!["name"]!));
        var cluster = clusters[0]!;
        var endpoint = Assert.Single(cluster["endpoints"]!.AsArray())!;
        Assert.True((bool)endpoint["ejected"]!);
        Assert.Equal("roundRobin", (string)cluster["loadBalancer"]!["policy"]!);
        Assert.Equal(100, (int)cluster["connectionPool"]!["http2MaxRequests"]!);
        Assert.Equal(3, (int)cluster["outlierDetection"]!["consecutive5xxErrors"]!);
        Assert.Equal("SIMPLE", (string)cluster["tls"]!["mode"]!);
        Assert.Equal("reviews.internal", (string)cluster["tls"]!["sni"]!);
        Assert.Equal("se.yaml#1 ServiceEntry default/reviews", (string)cluster["source"]!);
        Assert.Equal("dr.yaml#1 DestinationRule default/reviews", (string)cluster["trafficPolicySource"]!);
    }
}
