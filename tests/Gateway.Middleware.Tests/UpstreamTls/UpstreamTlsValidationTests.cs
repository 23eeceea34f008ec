using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.UpstreamTls;

/// <summary>
/// DestinationRule <c>trafficPolicy.tls</c> errors name the upstream and the field (Istio's <c>validateTLS</c>
/// rules, plus files that must load), wherever the settings sit: top level, subset, port level.
/// </summary>
public sealed class UpstreamTlsValidationTests : IDisposable
{
    private readonly TlsFiles _files = new();

    [Fact]
    public void Validate_MutualWithoutClientCertificate_NamesBothFields()
    {
        var errors = Validate(new UpstreamTlsConfig { Mode = UpstreamTlsMode.Mutual });

        Assert.Equal(
            [
                "upstream 'reviews': trafficPolicy.tls.clientCertificate: required for tls mode MUTUAL",
                "upstream 'reviews': trafficPolicy.tls.privateKey: required for tls mode MUTUAL",
            ],
            errors);
    }

    [Fact]
    public void Validate_EmptySniAndSubjectAltName_Errors()
    {
        var errors = Validate(new UpstreamTlsConfig { Sni = " ", SubjectAltNames = ["spiffe://cluster.local/ns/default/sa/reviews", ""] });

        Assert.Equal(
            [
                "upstream 'reviews': trafficPolicy.tls.sni must not be empty",
                "upstream 'reviews': trafficPolicy.tls.subjectAltNames[1] must not be empty",
            ],
            errors);
    }

    [Fact]
    public void Validate_MissingCaFile_NamesFieldAndPath()
    {
        var path = Path.Combine(_files.Directory, "missing-ca.pem");

        var errors = Validate(new UpstreamTlsConfig { CaCertificatesPath = path });

        Assert.Equal([$"upstream 'reviews': trafficPolicy.tls.caCertificates: file '{path}' not found"], errors);
    }

    [Fact]
    public void Validate_CaFileWithoutCertificate_CannotLoad()
    {
        var path = _files.Write("ca.pem", "not a certificate");

        var error = Assert.Single(Validate(new UpstreamTlsConfig { CaCertificatesPath = path }));

        Assert.StartsWith($"upstream 'reviews': trafficPolicy.tls.caCertificates: cannot load '{path}': ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeyOfAnotherCertificate_CannotLoadPair()
    {
        var (certificate, _) = _files.WriteCertificate("a");
        var (_, otherKey) = _files.WriteCertificate("b");

        var error = Assert.Single(Validate(new UpstreamTlsConfig { Mode = UpstreamTlsMode.Mutual, ClientCertificatePath = certificate, PrivateKeyPath = otherKey }));

        Assert.StartsWith($"upstream 'reviews': trafficPolicy.tls.clientCertificate/privateKey: cannot load '{certificate}': ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MutualWithLoadableFiles_NoError()
    {
        var (certificate, key) = _files.WriteCertificate("client", "spiffe://cluster.local/ns/istio-system/sa/gateway");
        var (ca, _) = _files.WriteCertificate("ca");

        Assert.Empty(Validate(new UpstreamTlsConfig { Mode = UpstreamTlsMode.Mutual, ClientCertificatePath = certificate, PrivateKeyPath = key, CaCertificatesPath = ca }));
    }

    [Fact]
    public void Validate_IstioMutualWithCaFile_ErrorAsIstio()
    {
        var errors = Validate(new UpstreamTlsConfig { Mode = UpstreamTlsMode.IstioMutual, CaCertificatesPath = "/etc/certs/root-cert.pem" });

        Assert.Equal(["upstream 'reviews': trafficPolicy.tls: cannot specify client certificates or CA certificate if tls mode is ISTIO_MUTUAL (the mesh identity provides them)"], errors);
    }

    [Fact]
    public void Validate_SubsetPortLevelTls_NamesItsPath()
    {
        var upstream = Upstream(null) with
        {
            Subsets =
            [
                new SubsetConfig("v1", new Dictionary<string, string>())
                {
                    TrafficPolicy = new TrafficPolicyConfig { PortLevelSettings = [new PortTrafficPolicyConfig { Port = 9080, Tls = new UpstreamTlsConfig { Sni = "" } }] },
                },
            ],
        };

        var errors = GatewayConfigValidator.Validate(new GatewayConfig([], [upstream]));

        Assert.Equal(["upstream 'reviews': subsets[0].trafficPolicy.portLevelSettings[0].tls.sni must not be empty"], errors);
    }

    [Fact]
    public void Validate_YamlPolicy_NamesSourceAndPath()
    {
        var upstream = Upstream(null) with
        {
            TrafficPolicy = new TrafficPolicyConfig
            {
                Tls = new UpstreamTlsConfig { Mode = UpstreamTlsMode.Mutual, ClientCertificatePath = "/c.pem" },
                Source = "dr.yaml#1 DestinationRule default/reviews",
                SourcePath = "spec.trafficPolicy",
            },
        };

        var errors = GatewayConfigValidator.Validate(new GatewayConfig([], [upstream]));

        Assert.Contains("dr.yaml#1 DestinationRule default/reviews: spec.trafficPolicy.tls.privateKey: required for tls mode MUTUAL", errors);
        Assert.Contains("dr.yaml#1 DestinationRule default/reviews: spec.trafficPolicy.tls.clientCertificate: file '/c.pem' not found", errors);
    }

    [Fact]
    public void Compile_IstioMutualWithoutMeshIdentity_ConfigurationErrorNamingUpstream()
    {
        var config = new GatewayConfig(
            [new RouteConfig { Name = "all", Destinations = [new DestinationConfig("reviews", 100)] }],
            [Upstream(new UpstreamTlsConfig { Mode = UpstreamTlsMode.IstioMutual })]);

        var exception = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigCompiler.Compile(config));

        Assert.StartsWith("upstream 'reviews': tls.mode ISTIO_MUTUAL needs the gateway's mesh identity: call ConfigureMeshIdentity", Assert.Single(exception.Errors), StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    private static List<string> Validate(UpstreamTlsConfig tls)
        => GatewayConfigValidator.Validate(new GatewayConfig([], [Upstream(tls)]));

    private static UpstreamConfig Upstream(UpstreamTlsConfig? tls) => new()
    {
        Name = "reviews",
        Endpoints = [new EndpointConfig("http://127.0.0.1:9080")],
        TrafficPolicy = tls is null ? null : new TrafficPolicyConfig { Tls = tls },
    };
}
