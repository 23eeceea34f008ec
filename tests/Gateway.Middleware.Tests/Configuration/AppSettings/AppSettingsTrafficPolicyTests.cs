using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>
/// <c>Gateway:Upstreams:{name}:TrafficPolicy</c> (and a subset's): Istio's DestinationRule trafficPolicy with
/// .NET-style names, bound to the same model as YAML; errors name the configuration path.
/// </summary>
public sealed class AppSettingsTrafficPolicyTests
{
    private static string Upstream(string fields) => $$"""
        { "Gateway": { "Upstreams": { "up": { "Endpoints": [ "http://127.0.0.1:1" ], {{fields}} } } } }
        """;

    [Fact]
    public void TrafficPolicy_EveryField_Bound()
    {
        var root = Path.GetPathRoot(Path.GetFullPath("."))!.Replace("\\", "\\\\", StringComparison.Ordinal);
        var config = AppSettings.Config(Upstream($$"""
            "TrafficPolicy": {
              "LoadBalancer": { "ConsistentHash": { "HttpCookie": { "Name": "user", "Path": "/", "Ttl": "1h" }, "RingHash": { "MinimumRingSize": 2048 } } },
              "ConnectionPool": {
                "Tcp": { "MaxConnections": 100, "ConnectTimeout": "250ms", "MaxConnectionDuration": "01:00:00" },
                "Http": { "Http1MaxPendingRequests": 10, "Http2MaxRequests": 1000, "MaxRequestsPerConnection": 5, "MaxRetries": 3, "IdleTimeout": "90s" }
              },
              "OutlierDetection": { "Consecutive5xxErrors": 0, "ConsecutiveGatewayErrors": 3, "Interval": "1s", "BaseEjectionTime": "3m", "MaxEjectionPercent": 100, "MinHealthPercent": 50 },
              "Tls": { "Mode": "MUTUAL", "ClientCertificate": "{{root}}certs/client.pem", "PrivateKey": "{{root}}certs/client.key", "CaCertificates": "{{root}}certs/ca.pem", "SubjectAltNames": [ "spiffe://cluster.local/ns/default/sa/up" ], "Sni": "up.internal", "InsecureSkipVerify": false },
              "PortLevelSettings": [ { "Port": 9080, "LoadBalancer": { "Simple": "RANDOM" } }, { "Port": { "Number": 9443 }, "Tls": { "Mode": "SIMPLE" } } ]
            }
            """));

        var policy = AppSettings.Upstream(config, "up").TrafficPolicy!;
        Assert.Equal("Gateway:Upstreams:up", policy.Source);
        Assert.Equal("trafficPolicy", policy.SourcePath);
        var hash = policy.LoadBalancer!.ConsistentHash!;
        Assert.Equal(new HashCookieConfig("user") { Path = "/", Ttl = TimeSpan.FromHours(1) }, hash.HttpCookie);
        Assert.Equal(2048, hash.MinimumRingSize);
        Assert.Equal(new ConnectionPoolConfig
        {
            MaxConnections = 100,
            ConnectTimeout = TimeSpan.FromMilliseconds(250),
            MaxConnectionDuration = TimeSpan.FromHours(1),
            IdleTimeout = TimeSpan.FromSeconds(90),
            Http1MaxPendingRequests = 10,
            Http2MaxRequests = 1000,
            MaxRequestsPerConnection = 5,
            MaxRetries = 3,
        }, policy.ConnectionPool);
        Assert.Equal(new OutlierDetectionConfig { Consecutive5xxErrors = 0, ConsecutiveGatewayErrors = 3, Interval = TimeSpan.FromSeconds(1), BaseEjectionTime = TimeSpan.FromMinutes(3), MaxEjectionPercent = 100, MinHealthPercent = 50 }, policy.OutlierDetection);
        var tls = policy.Tls!;
        Assert.Equal(UpstreamTlsMode.Mutual, tls.Mode);
        Assert.Equal(Path.GetFullPath(Path.Combine(Path.GetPathRoot(Path.GetFullPath("."))!, "certs/client.pem")), tls.ClientCertificatePath);
        Assert.EndsWith("client.key", tls.PrivateKeyPath, StringComparison.Ordinal);
        Assert.EndsWith("ca.pem", tls.CaCertificatesPath, StringComparison.Ordinal);
        Assert.Null(tls.TrustedRoots);
        Assert.Equal(["spiffe://cluster.local/ns/default/sa/up"], tls.SubjectAltNames);
        Assert.Equal("up.internal", tls.Sni);
        Assert.Equal([9080, 9443], policy.PortLevelSettings.Select(p => p.Port));
        Assert.Equal(LoadBalancerPolicy.Random, policy.PortLevelSettings[0].LoadBalancer!.Policy);
        Assert.Equal(UpstreamTlsMode.Simple, policy.PortLevelSettings[1].Tls!.Mode);
    }

    [Theory]
    [InlineData("ROUND_ROBIN", nameof(LoadBalancerPolicy.RoundRobin))]
    [InlineData("round_robin", nameof(LoadBalancerPolicy.RoundRobin))]
    [InlineData("RoundRobin", nameof(LoadBalancerPolicy.RoundRobin))]
    [InlineData("LEAST_REQUEST", nameof(LoadBalancerPolicy.LeastRequest))]
    [InlineData("LEAST_CONN", nameof(LoadBalancerPolicy.LeastRequest))]
    [InlineData("RANDOM", nameof(LoadBalancerPolicy.Random))]
    [InlineData("UNSPECIFIED", nameof(LoadBalancerPolicy.LeastRequest))]
    public void LoadBalancer_Simple(string simple, string expected)
    {
        var config = AppSettings.Config(Upstream($$"""
            "TrafficPolicy": { "LoadBalancer": { "Simple": "{{simple}}" } }
            """));

        Assert.Equal(Enum.Parse<LoadBalancerPolicy>(expected), AppSettings.Upstream(config, "up").TrafficPolicy!.LoadBalancer!.Policy);
    }

    [Fact]
    public void Defaults_AsIstio_ZeroLimitsNotSetOutlierDefaultsTlsSimple()
    {
        var policy = AppSettings.Upstream(AppSettings.Config(Upstream("""
            "TrafficPolicy": { "ConnectionPool": { "Tcp": { "MaxConnections": 0 } }, "OutlierDetection": { "MaxEjectionPercent": 0 }, "Tls": { "Sni": "up.internal" } }
            """)), "up").TrafficPolicy!;

        Assert.Null(policy.ConnectionPool!.MaxConnections);
        Assert.Equal(new OutlierDetectionConfig(), policy.OutlierDetection);
        Assert.Equal(UpstreamTlsMode.Simple, policy.Tls!.Mode); // a Tls section asks for TLS (Istio's DISABLE default differs)
    }

    [Fact]
    public void Subset_TrafficPolicy_BoundWithItsPath()
    {
        var config = AppSettings.Config(Upstream("""
            "Subsets": { "v2": { "Labels": { "version": "v2" }, "TrafficPolicy": { "OutlierDetection": { "ConsecutiveGatewayErrors": 2 } } } }
            """));

        var policy = AppSettings.Upstream(config, "up").Subsets.Single().TrafficPolicy!;
        Assert.Equal(2, policy.OutlierDetection!.ConsecutiveGatewayErrors);
        Assert.Equal("Gateway:Upstreams:up:Subsets:v2", policy.Source);
    }

    [Fact]
    public void UpstreamTlsAndConnectTimeout_KeptAsAliases()
    {
        var upstream = AppSettings.Upstream(AppSettings.Config(Upstream("""
            "ConnectTimeout": "2s", "Tls": { "Mode": "DISABLE", "Sni": "up.internal", "SubjectAltNames": [ "up.internal" ] }
            """)), "up");

        Assert.Equal(TimeSpan.FromSeconds(2), upstream.ConnectTimeout);
        Assert.Equal(UpstreamTlsMode.Disable, upstream.Tls!.Mode);
        Assert.Equal("up.internal", upstream.Tls.Sni);
        Assert.Equal(["up.internal"], upstream.Tls.SubjectAltNames);
        Assert.Null(upstream.TrafficPolicy);
    }

    [Theory]
    [InlineData("\"Tls\": { \"Sni\": \"a\" }, \"TrafficPolicy\": { \"Tls\": { \"Sni\": \"b\" } }", "Gateway:Upstreams:up:Tls: set Tls here or under TrafficPolicy:Tls, not both")]
    [InlineData("\"ConnectTimeout\": \"1s\", \"TrafficPolicy\": { \"ConnectionPool\": { \"Tcp\": { \"ConnectTimeout\": \"2s\" } } }", "Gateway:Upstreams:up:ConnectTimeout: set ConnectTimeout here or under TrafficPolicy:ConnectionPool:Tcp:ConnectTimeout, not both")]
    [InlineData("\"TrafficPolicy\": { \"LoadBalancer\": { \"Simple\": \"PASSTHROUGH\" } }", "Gateway:Upstreams:up:TrafficPolicy:LoadBalancer:Simple: PASSTHROUGH is not supported: it forwards to the original destination address of the connection, which a gateway does not have; use ROUND_ROBIN, LEAST_REQUEST or RANDOM")]
    [InlineData("\"TrafficPolicy\": { \"LoadBalancer\": { \"Simple\": \"FASTEST\" } }", "Gateway:Upstreams:up:TrafficPolicy:LoadBalancer:Simple: 'FASTEST' is not one of UNSPECIFIED, ROUND_ROBIN, LEAST_REQUEST, LEAST_CONN, RANDOM, PASSTHROUGH, RoundRobin, LeastRequest or Random")]
    [InlineData("\"TrafficPolicy\": { \"LoadBalancer\": { \"Simple\": \"RANDOM\", \"ConsistentHash\": { \"UseSourceIp\": true } } }", "Gateway:Upstreams:up:TrafficPolicy:LoadBalancer: Simple and ConsistentHash are mutually exclusive")]
    [InlineData("\"TrafficPolicy\": { \"LoadBalancer\": { \"LocalityLbSetting\": { } , \"Simple\": \"RANDOM\" } }", "Gateway:Upstreams:up:TrafficPolicy:LoadBalancer:LocalityLbSetting: unknown field")]
    [InlineData("\"TrafficPolicy\": { \"ConnectionPool\": { \"Tcp\": { \"MaxConnections\": \"many\" } } }", "Gateway:Upstreams:up:TrafficPolicy:ConnectionPool:Tcp:MaxConnections: 'many' is not an integer")]
    [InlineData("\"TrafficPolicy\": { \"ConnectionPool\": { \"Tcp\": { \"IdleTimeout\": \"1m\" }, \"Http\": { \"IdleTimeout\": \"2m\" } } }", "Gateway:Upstreams:up:TrafficPolicy:ConnectionPool: set Http:IdleTimeout or Tcp:IdleTimeout, not both (the gateway has one idle timeout per upstream connection)")]
    [InlineData("\"TrafficPolicy\": { \"OutlierDetection\": { \"Interval\": \"5\" } }", "Gateway:Upstreams:up:TrafficPolicy:OutlierDetection:Interval: '5' is not a duration: write 00:00:05 or 5s, 100ms, 1m30s")]
    [InlineData("\"TrafficPolicy\": { \"Tls\": { \"Mode\": \"MUTUAL\", \"CredentialName\": \"secret\" } }", "Gateway:Upstreams:up:TrafficPolicy:Tls:CredentialName: not supported for upstream TLS: the gateway reads upstream TLS material from files; use ClientCertificate, PrivateKey and CaCertificates")]
    [InlineData("\"TrafficPolicy\": { \"Tls\": { \"Mode\": \"SIMPLE\", \"CaCertificates\": \"\" } }", "Gateway:Upstreams:up:TrafficPolicy:Tls:CaCertificates: must not be empty")]
    [InlineData("\"TrafficPolicy\": { \"PortLevelSettings\": [ { \"LoadBalancer\": { \"Simple\": \"RANDOM\" } } ] }", "Gateway:Upstreams:up:TrafficPolicy:PortLevelSettings:0:Port: required")]
    public void Binding_Invalid_ErrorNamesTheKey(string fields, string expected)
    {
        Assert.Equal([expected], AppSettings.Load(Upstream(fields)).Errors);
    }

    [Theory]
    [InlineData("\"OutlierDetection\": { \"MaxEjectionPercent\": 101 }", "Gateway:Upstreams:up: trafficPolicy.outlierDetection.maxEjectionPercent: must be between 0 and 100, got 101")]
    [InlineData("\"ConnectionPool\": { \"Http\": { \"Http2MaxRequests\": -1 } }", "Gateway:Upstreams:up: trafficPolicy.connectionPool.http.http2MaxRequests: must not be negative, got -1")]
    [InlineData("\"ConnectionPool\": { \"Tcp\": { \"ConnectTimeout\": \"0s\" } }", "Gateway:Upstreams:up: trafficPolicy.connectionPool.tcp.connectTimeout: must be at least 1ms, got 0s")]
    [InlineData("\"LoadBalancer\": { \"ConsistentHash\": { \"HttpHeaderName\": \"x\", \"UseSourceIp\": true } }", "Gateway:Upstreams:up: trafficPolicy.loadBalancer.consistentHash: exactly one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName must be set, got 2")]
    [InlineData("\"LoadBalancer\": { \"ConsistentHash\": { \"HttpCookie\": { \"Ttl\": \"1s\" } } }", "Gateway:Upstreams:up: trafficPolicy.loadBalancer.consistentHash.httpCookie.name: must not be empty")]
    [InlineData("\"LoadBalancer\": { \"ConsistentHash\": { \"UseSourceIp\": true, \"MinimumRingSize\": -4 } }", "Gateway:Upstreams:up: trafficPolicy.loadBalancer.consistentHash.ringHash.minimumRingSize: must be between 1 and 8388608, got -4")]
    [InlineData("\"PortLevelSettings\": [ { \"Port\": 70000, \"LoadBalancer\": { \"Simple\": \"RANDOM\" } } ]", "Gateway:Upstreams:up: trafficPolicy.portLevelSettings[0].port.number: must be between 1 and 65535, got 70000")]
    [InlineData("\"PortLevelSettings\": [ { \"Port\": 80, \"LoadBalancer\": { \"Simple\": \"RANDOM\" } }, { \"Port\": 80 } ]", "Gateway:Upstreams:up: trafficPolicy.portLevelSettings[1].port.number: port 80 already has portLevelSettings")]
    public void Validation_InvalidValue_ErrorNamesSectionAndField(string policy, string expected)
    {
        Assert.Equal([expected], AppSettings.Errors(Upstream($$"""
            "TrafficPolicy": { {{policy}} }
            """)));
    }
}
