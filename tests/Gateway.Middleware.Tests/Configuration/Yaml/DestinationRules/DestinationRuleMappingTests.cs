using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;
using static Gateway.Middleware.Tests.Configuration.Yaml.DestinationRules.DestinationRuleYaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml.DestinationRules;

/// <summary>
/// DestinationRule <c>trafficPolicy</c> fields → the traffic policy model, with Istio's defaults
/// (istio.io reference: networking/v1/destination_rule).
/// </summary>
public sealed class DestinationRuleMappingTests
{
    [Theory]
    [InlineData("ROUND_ROBIN", nameof(LoadBalancerPolicy.RoundRobin))]
    [InlineData("LEAST_REQUEST", nameof(LoadBalancerPolicy.LeastRequest))]
    [InlineData("RANDOM", nameof(LoadBalancerPolicy.Random))]
    [InlineData("UNSPECIFIED", nameof(LoadBalancerPolicy.LeastRequest))] // Istio's default
    public void LoadBalancer_Simple_Policy(string simple, string expected)
    {
        var policy = Policy($"trafficPolicy: {{loadBalancer: {{simple: {simple}}}}}");

        Assert.Equal(Enum.Parse<LoadBalancerPolicy>(expected), policy.LoadBalancer!.Policy);
        Assert.Null(policy.LoadBalancer.ConsistentHash);
        Assert.Equal("test.yaml#2 DestinationRule default/svc", policy.Source);
        Assert.Equal("spec.trafficPolicy", policy.SourcePath);
    }

    [Fact]
    public void LoadBalancer_LeastConn_DeprecatedAliasOfLeastRequestWithWarning()
    {
        var spec = "trafficPolicy: {loadBalancer: {simple: LEAST_CONN}}";

        Assert.Equal(LoadBalancerPolicy.LeastRequest, Policy(spec).LoadBalancer!.Policy);
        Assert.Equal(["test.yaml#2 DestinationRule default/svc: spec.trafficPolicy.loadBalancer.simple: LEAST_CONN is deprecated: served as LEAST_REQUEST (Istio's replacement)"], Warnings(spec));
    }

    [Theory]
    [InlineData("{httpHeaderName: x-user}", "x-user", null, false, null)]
    [InlineData("{useSourceIp: true}", null, null, true, null)]
    [InlineData("{httpQueryParameterName: user}", null, null, false, "user")]
    [InlineData("{httpCookie: {name: session, path: /api, ttl: 30m}}", null, "session", false, null)]
    public void ConsistentHash_EachKey_Mapped(string hash, string? header, string? cookie, bool sourceIp, string? query)
    {
        var consistent = Policy($"trafficPolicy: {{loadBalancer: {{consistentHash: {hash}}}}}").LoadBalancer!.ConsistentHash!;

        Assert.Equal(header, consistent.HttpHeaderName);
        Assert.Equal(cookie, consistent.HttpCookie?.Name);
        Assert.Equal(sourceIp, consistent.UseSourceIp);
        Assert.Equal(query, consistent.HttpQueryParameterName);
        Assert.Equal(1024, consistent.MinimumRingSize); // Envoy's default
        if (cookie is not null)
        {
            Assert.Equal("/api", consistent.HttpCookie!.Path);
            Assert.Equal(TimeSpan.FromMinutes(30), consistent.HttpCookie.Ttl);
        }
    }

    [Fact]
    public void ConsistentHash_CookieTtlZero_SessionCookie()
    {
        var cookie = Policy("trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: user, ttl: 0s}}}}").LoadBalancer!.ConsistentHash!.HttpCookie!;

        Assert.Equal(TimeSpan.Zero, cookie.Ttl);
        Assert.Null(cookie.Path);
    }

    [Theory]
    [InlineData("ringHash: {minimumRingSize: 4096}", 4096)]
    [InlineData("ringHash: {minimumRingSize: 0}", 1024)] // proto3 zero: not set
    [InlineData("minimumRingSize: 2048", 2048)] // deprecated field
    [InlineData("maglev: {tableSize: 65537}", 1024)] // served as a ring hash
    public void ConsistentHash_RingSize(string ring, int expected)
    {
        var hash = Policy($"trafficPolicy: {{loadBalancer: {{consistentHash: {{httpHeaderName: x-user, {ring}}}}}}}").LoadBalancer!.ConsistentHash!;

        Assert.Equal(expected, hash.MinimumRingSize);
    }

    [Fact]
    public void ConnectionPool_EveryTcpAndHttpField_Mapped()
    {
        var pool = Policy("""
            trafficPolicy:
              connectionPool:
                tcp: {maxConnections: 100, connectTimeout: 30ms, maxConnectionDuration: 1h}
                http: {http1MaxPendingRequests: 10, http2MaxRequests: 1000, maxRequestsPerConnection: 5, maxRetries: 3, idleTimeout: 90s}
            """).ConnectionPool!;

        Assert.Equal(new ConnectionPoolConfig
        {
            MaxConnections = 100,
            ConnectTimeout = TimeSpan.FromMilliseconds(30),
            MaxConnectionDuration = TimeSpan.FromHours(1),
            IdleTimeout = TimeSpan.FromSeconds(90),
            Http1MaxPendingRequests = 10,
            Http2MaxRequests = 1000,
            MaxRequestsPerConnection = 5,
            MaxRetries = 3,
        }, pool);
    }

    [Fact]
    public void ConnectionPool_ZeroLimits_NotSetAsInIstio()
    {
        var pool = Policy("trafficPolicy: {connectionPool: {tcp: {maxConnections: 0}, http: {http1MaxPendingRequests: 0, http2MaxRequests: 0, maxRequestsPerConnection: 0, maxRetries: 0}}}").ConnectionPool!;

        Assert.Equal(new ConnectionPoolConfig(), pool);
    }

    [Fact]
    public void ConnectionPool_TcpIdleTimeout_UsedWhenHttpHasNone()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), Policy("trafficPolicy: {connectionPool: {tcp: {idleTimeout: 5m}}}").ConnectionPool!.IdleTimeout);
    }

    [Fact]
    public void ConnectionPool_H2UpgradeAtTopLevel_UpstreamSpeaksHttp2()
    {
        Assert.Equal(UpstreamProtocol.Http2, Upstream("trafficPolicy: {connectionPool: {http: {h2UpgradePolicy: UPGRADE}}}").Protocol);
        Assert.Equal(UpstreamProtocol.Http1, Upstream("trafficPolicy: {connectionPool: {http: {h2UpgradePolicy: DO_NOT_UPGRADE}}}").Protocol);
    }

    [Fact]
    public void OutlierDetection_Absent_FieldsTakeIstioDefaults()
    {
        var outlier = Policy("trafficPolicy: {outlierDetection: {interval: 5s}}").OutlierDetection!;

        Assert.Equal(5, outlier.Consecutive5xxErrors);
        Assert.Equal(0, outlier.ConsecutiveGatewayErrors);
        Assert.Equal(TimeSpan.FromSeconds(5), outlier.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), outlier.BaseEjectionTime);
        Assert.Equal(10, outlier.MaxEjectionPercent);
        Assert.Equal(0, outlier.MinHealthPercent);
    }

    [Fact]
    public void OutlierDetection_EveryField_Mapped()
    {
        var outlier = Policy("trafficPolicy: {outlierDetection: {consecutive5xxErrors: 0, consecutiveGatewayErrors: 3, interval: 1m, baseEjectionTime: 2m, maxEjectionPercent: 50, minHealthPercent: 20}}").OutlierDetection!;

        Assert.Equal(new OutlierDetectionConfig
        {
            Consecutive5xxErrors = 0, // explicitly off (a wrapper type in Istio's proto)
            ConsecutiveGatewayErrors = 3,
            Interval = TimeSpan.FromMinutes(1),
            BaseEjectionTime = TimeSpan.FromMinutes(2),
            MaxEjectionPercent = 50,
            MinHealthPercent = 20,
        }, outlier);
    }

    [Fact]
    public void OutlierDetection_DeprecatedConsecutiveErrors_GatewayErrorsWith5xxOffAsIstio()
    {
        var spec = "trafficPolicy: {outlierDetection: {consecutiveErrors: 4}}";

        var outlier = Policy(spec).OutlierDetection!;

        Assert.Equal(4, outlier.ConsecutiveGatewayErrors);
        Assert.Equal(0, outlier.Consecutive5xxErrors);
        Assert.Equal(["test.yaml#2 DestinationRule default/svc: spec.trafficPolicy.outlierDetection.consecutiveErrors: deprecated: served as consecutiveGatewayErrors (502, 503, 504) with consecutive5xxErrors off unless set, as Istio does; use consecutiveGatewayErrors"], Warnings(spec));
    }

    [Fact]
    public void OutlierDetection_DeprecatedConsecutiveErrorsWithNewerFields_NewerFieldsWin()
    {
        var outlier = Policy("trafficPolicy: {outlierDetection: {consecutiveErrors: 4, consecutive5xxErrors: 6, consecutiveGatewayErrors: 2}}").OutlierDetection!;

        Assert.Equal(6, outlier.Consecutive5xxErrors);
        Assert.Equal(2, outlier.ConsecutiveGatewayErrors);
    }

    [Fact]
    public void Tls_EveryField_MappedWithAbsolutePathsKept()
    {
        var root = Path.GetPathRoot(Path.GetFullPath("."))!;
        var cert = Path.Combine(root, "certs", "client.pem");
        var key = Path.Combine(root, "certs", "client.key");
        var ca = Path.Combine(root, "certs", "ca.pem");
        var result = Load($$"""
            trafficPolicy:
              tls:
                mode: MUTUAL
                clientCertificate: '{{cert}}'
                privateKey: '{{key}}'
                caCertificates: '{{ca}}'
                subjectAltNames: [spiffe://cluster.local/ns/default/sa/svc, svc.example.com]
                sni: svc.example.com
                insecureSkipVerify: false
            """);

        Assert.Empty(result.Errors);
        var tls = Yaml.Upstream(result.Config, Host).TrafficPolicy!.Tls!;
        Assert.Equal(UpstreamTlsMode.Mutual, tls.Mode);
        Assert.Equal(cert, tls.ClientCertificatePath);
        Assert.Equal(key, tls.PrivateKeyPath);
        Assert.Equal(ca, tls.CaCertificatesPath);
        Assert.Equal(["spiffe://cluster.local/ns/default/sa/svc", "svc.example.com"], tls.SubjectAltNames);
        Assert.Equal("svc.example.com", tls.Sni);
        Assert.False(tls.InsecureSkipVerify);
    }

    [Theory]
    [InlineData("DISABLE", nameof(UpstreamTlsMode.Disable))]
    [InlineData("SIMPLE", nameof(UpstreamTlsMode.Simple))]
    [InlineData("ISTIO_MUTUAL", nameof(UpstreamTlsMode.IstioMutual))]
    public void Tls_Mode(string mode, string expected)
    {
        var result = Load($"trafficPolicy: {{tls: {{mode: {mode}, insecureSkipVerify: true}}}}");

        Assert.Empty(result.Errors);
        var tls = Yaml.Upstream(result.Config, Host).TrafficPolicy!.Tls!;
        Assert.Equal(Enum.Parse<UpstreamTlsMode>(expected), tls.Mode);
        Assert.True(tls.InsecureSkipVerify);
    }

    [Fact]
    public void Tls_WithoutMode_DisableAsIstioWithWarning()
    {
        var result = Load("trafficPolicy: {tls: {sni: svc.example.com}}");

        Assert.Empty(result.Errors);
        Assert.Equal(UpstreamTlsMode.Disable, Yaml.Upstream(result.Config, Host).TrafficPolicy!.Tls!.Mode);
        Assert.Equal(["test.yaml#2 DestinationRule default/svc: spec.trafficPolicy.tls.mode: not set: Istio's default is DISABLE, so the gateway connects in plain text and the other tls fields have no effect"], result.Warnings);
    }

    [Fact]
    public void Tls_RelativePaths_ResolvedAgainstTheYamlFilesFolder()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-dr-").FullName;
        try
        {
            var file = Path.Combine(folder, "dr.yaml");
            File.WriteAllText(file, Yaml.Service("svc") + "\n---\n" + Rule("trafficPolicy: {tls: {mode: MUTUAL, clientCertificate: certs/client.pem, privateKey: ../keys/client.key, caCertificates: /etc/ca.pem}}"));

            // A file, and the folder holding it: both resolve against the folder, not the current directory.
            foreach (var path in new[] { file, folder })
            {
                var result = Gateway.Middleware.Configuration.Yaml.IstioYaml.LoadPath(path, validateModel: false);

                Assert.Empty(result.Errors);
                var tls = Yaml.Upstream(result.Config, Host).TrafficPolicy!.Tls!;
                Assert.Equal(Path.Combine(folder, "certs", "client.pem"), tls.ClientCertificatePath);
                Assert.Equal(Path.GetFullPath(Path.Combine(folder, "..", "keys", "client.key")), tls.PrivateKeyPath);
                Assert.Equal("/etc/ca.pem", tls.CaCertificatesPath);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void PortLevelSettings_EachPortItsOwnPolicy()
    {
        var policy = Policy("""
            trafficPolicy:
              loadBalancer: {simple: RANDOM}
              portLevelSettings:
              - port: {number: 80}
                loadBalancer: {simple: ROUND_ROBIN}
                connectionPool: {tcp: {maxConnections: 7}}
              - port: {number: 9080}
                outlierDetection: {consecutiveGatewayErrors: 2}
            """);

        Assert.Equal(LoadBalancerPolicy.Random, policy.LoadBalancer!.Policy);
        Assert.Equal([80, 9080], policy.PortLevelSettings.Select(p => p.Port));
        Assert.Equal(LoadBalancerPolicy.RoundRobin, policy.PortLevelSettings[0].LoadBalancer!.Policy);
        Assert.Equal(7, policy.PortLevelSettings[0].ConnectionPool!.MaxConnections);
        Assert.Null(policy.PortLevelSettings[0].OutlierDetection);
        Assert.Equal(2, policy.PortLevelSettings[1].OutlierDetection!.ConsecutiveGatewayErrors);
        Assert.Null(policy.PortLevelSettings[1].LoadBalancer);
    }

    [Fact]
    public void Subset_TrafficPolicy_OnTheSubsetWithItsPath()
    {
        var upstream = Upstream("""
            trafficPolicy: {loadBalancer: {simple: RANDOM}}
            subsets:
            - {name: v1, labels: {version: v1}}
            - name: v2
              labels: {version: v2}
              trafficPolicy:
                loadBalancer: {simple: ROUND_ROBIN}
                portLevelSettings: [{port: {number: 80}, connectionPool: {http: {http2MaxRequests: 9}}}]
            """);

        Assert.Null(upstream.Subsets[0].TrafficPolicy);
        var v2 = upstream.Subsets[1].TrafficPolicy!;
        Assert.Equal(LoadBalancerPolicy.RoundRobin, v2.LoadBalancer!.Policy);
        Assert.Equal("spec.subsets[1].trafficPolicy", v2.SourcePath);
        Assert.Equal(9, Assert.Single(v2.PortLevelSettings).ConnectionPool!.Http2MaxRequests);
        Assert.Equal(LoadBalancerPolicy.Random, upstream.TrafficPolicy!.LoadBalancer!.Policy);
    }

    [Fact]
    public void Subset_Resolved_SubsetFieldsOverrideTopLevelAndPortLevelReplacesAll()
    {
        var upstream = Upstream("""
            trafficPolicy:
              loadBalancer: {simple: RANDOM}
              connectionPool: {tcp: {maxConnections: 10}}
            subsets:
            - name: v2
              labels: {version: v2}
              trafficPolicy:
                loadBalancer: {simple: ROUND_ROBIN}
                portLevelSettings: [{port: {number: 80}, outlierDetection: {consecutive5xxErrors: 2}}]
            """);

        var subset = TrafficPolicyResolver.Resolve(upstream, upstream.Subsets[0], destinationPort: 9080);
        Assert.Equal(LoadBalancerPolicy.RoundRobin, subset.LoadBalancer!.Policy);
        Assert.Equal(10, subset.ConnectionPool!.MaxConnections);
        var port = TrafficPolicyResolver.Resolve(upstream, upstream.Subsets[0], destinationPort: 80);
        Assert.Null(port.LoadBalancer);
        Assert.Null(port.ConnectionPool);
        Assert.Equal(2, port.OutlierDetection!.Consecutive5xxErrors);
        Assert.Equal(80, port.PortLevelPort);
    }
}
