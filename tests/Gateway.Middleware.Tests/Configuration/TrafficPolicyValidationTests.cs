using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.Configuration;

/// <summary>
/// The model validator checks traffic policy values whatever declared them (builder, appsettings.json, YAML);
/// a policy without a source (the builder) is named after its upstream and subset.
/// </summary>
public sealed class TrafficPolicyValidationTests
{
    private static List<string> Validate(UpstreamConfig upstream) => GatewayConfigValidator.Validate(new GatewayConfig([], [upstream]));

    [Fact]
    public void Validate_BuilderPolicy_NamedAfterUpstreamAndSubset()
    {
        var upstream = new UpstreamConfig
        {
            Name = "reviews",
            TrafficPolicy = new TrafficPolicyConfig { OutlierDetection = new OutlierDetectionConfig { MaxEjectionPercent = 150 } },
            Subsets =
            [
                new SubsetConfig("v1", new Dictionary<string, string>())
                {
                    TrafficPolicy = new TrafficPolicyConfig { ConnectionPool = new ConnectionPoolConfig { IdleTimeout = TimeSpan.Zero } },
                },
            ],
        };

        Assert.Equal(
        [
            "upstream 'reviews': trafficPolicy.outlierDetection.maxEjectionPercent: must be between 0 and 100, got 150",
            "upstream 'reviews': subsets[0].trafficPolicy.connectionPool.http.idleTimeout: must be at least 1ms, got 0s",
        ], Validate(upstream));
    }

    [Fact]
    public void Validate_PortLevelSettings_EachCheckedWithItsIndex()
    {
        var upstream = new UpstreamConfig
        {
            Name = "reviews",
            TrafficPolicy = new TrafficPolicyConfig
            {
                PortLevelSettings =
                [
                    new PortTrafficPolicyConfig { Port = 9080, LoadBalancer = new LoadBalancerConfig { ConsistentHash = new ConsistentHashConfig { HttpHeaderName = " " } } },
                    new PortTrafficPolicyConfig { Port = 9080, ConnectionPool = new ConnectionPoolConfig { MaxRequestsPerConnection = -1 } },
                ],
            },
        };

        Assert.Equal(
        [
            "upstream 'reviews': trafficPolicy.portLevelSettings[0].loadBalancer.consistentHash.httpHeaderName: must not be empty",
            "upstream 'reviews': trafficPolicy.portLevelSettings[1].port.number: port 9080 already has portLevelSettings",
            "upstream 'reviews': trafficPolicy.portLevelSettings[1].connectionPool.http.maxRequestsPerConnection: must not be negative, got -1",
        ], Validate(upstream));
    }

    [Fact]
    public void Validate_ConsistentHashWithoutKeyOrNegativeCookieTtl_Errors()
    {
        var upstream = new UpstreamConfig
        {
            Name = "reviews",
            TrafficPolicy = new TrafficPolicyConfig
            {
                Source = "Gateway:Upstreams:reviews",
                SourcePath = "trafficPolicy",
                LoadBalancer = new LoadBalancerConfig { ConsistentHash = new ConsistentHashConfig { HttpCookie = new HashCookieConfig("user") { Ttl = TimeSpan.FromSeconds(-1) }, UseSourceIp = true } },
            },
        };

        Assert.Equal(
        [
            "Gateway:Upstreams:reviews: trafficPolicy.loadBalancer.consistentHash: exactly one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName must be set, got 2",
            "Gateway:Upstreams:reviews: trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl: must not be negative, got -1s",
        ], Validate(upstream));
    }

    [Fact]
    public void Validate_IstioDefaults_Valid()
    {
        var upstream = new UpstreamConfig
        {
            Name = "reviews",
            TrafficPolicy = new TrafficPolicyConfig
            {
                LoadBalancer = new LoadBalancerConfig { ConsistentHash = new ConsistentHashConfig { UseSourceIp = true } },
                ConnectionPool = new ConnectionPoolConfig(),
                OutlierDetection = new OutlierDetectionConfig(),
                PortLevelSettings = [new PortTrafficPolicyConfig { Port = 1 }, new PortTrafficPolicyConfig { Port = 65535 }],
            },
        };

        Assert.Empty(Validate(upstream));
    }
}
