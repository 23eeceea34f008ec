using static Gateway.Middleware.Tests.Configuration.Yaml.DestinationRules.DestinationRuleYaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml.DestinationRules;

/// <summary>
/// What a DestinationRule gets wrong is an error naming the resource and field (Istio's validation rules,
/// istio/istio pkg/config/validation); what a gateway cannot honour is a warning saying so.
/// </summary>
public sealed class DestinationRuleDiagnosticsTests
{
    private const string Prefix = "test.yaml#2 DestinationRule default/svc: ";

    [Theory]
    [InlineData("trafficPolicy: {loadBalancer: {simple: PASSTHROUGH}}", "spec.trafficPolicy.loadBalancer.simple: PASSTHROUGH is not supported: it forwards to the original destination address of the connection, which a gateway does not have; use ROUND_ROBIN, LEAST_REQUEST or RANDOM")]
    [InlineData("trafficPolicy: {loadBalancer: {simple: RANDOM, consistentHash: {useSourceIp: true}}}", "spec.trafficPolicy.loadBalancer: simple and consistentHash are mutually exclusive")]
    [InlineData("trafficPolicy: {loadBalancer: {consistentHash: {minimumRingSize: 10}}}", "spec.trafficPolicy.loadBalancer.consistentHash: one hash key is required: httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName")]
    [InlineData("trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x, useSourceIp: true}}}", "spec.trafficPolicy.loadBalancer.consistentHash: only one hash key may be set, got httpHeaderName, useSourceIp")]
    [InlineData("trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: user}}}}", "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl: required (0s generates a session cookie)")]
    [InlineData("trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: '', ttl: 1s}}}}", "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name: must not be empty")]
    [InlineData("trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x, ringHash: {minimumRingSize: 1}, maglev: {}}}}", "spec.trafficPolicy.loadBalancer.consistentHash: ringHash and maglev are mutually exclusive")]
    [InlineData("trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x, ringHash: {minimumRingSize: 9000000}}}}", "spec.trafficPolicy.loadBalancer.consistentHash.ringHash.minimumRingSize: must be between 1 and 8388608, got 9000000")]
    [InlineData("trafficPolicy: {}", "spec.trafficPolicy: must set at least one field")]
    [InlineData("trafficPolicy: {connectionPool: {}}", "spec.trafficPolicy.connectionPool: must set tcp or http")]
    [InlineData("trafficPolicy: {connectionPool: {tcp: {maxConnections: -1}}}", "spec.trafficPolicy.connectionPool.tcp.maxConnections: must not be negative, got -1")]
    [InlineData("trafficPolicy: {connectionPool: {http: {http1MaxPendingRequests: -2}}}", "spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests: must not be negative, got -2")]
    [InlineData("trafficPolicy: {connectionPool: {http: {maxRetries: -3}}}", "spec.trafficPolicy.connectionPool.http.maxRetries: must not be negative, got -3")]
    [InlineData("trafficPolicy: {connectionPool: {tcp: {connectTimeout: 0s}}}", "spec.trafficPolicy.connectionPool.tcp.connectTimeout: must be at least 1ms, got 0s")]
    [InlineData("trafficPolicy: {connectionPool: {tcp: {maxConnectionDuration: 1500us}}}", "spec.trafficPolicy.connectionPool.tcp.maxConnectionDuration: only whole milliseconds are supported, got 1.5ms")]
    [InlineData("trafficPolicy: {connectionPool: {http: {h2UpgradePolicy: UPGRADE, useClientProtocol: true}}}", "spec.trafficPolicy.connectionPool.http.useClientProtocol: must not be true when h2UpgradePolicy is UPGRADE")]
    [InlineData("trafficPolicy: {outlierDetection: {maxEjectionPercent: 150}}", "spec.trafficPolicy.outlierDetection.maxEjectionPercent: must be between 0 and 100, got 150")]
    [InlineData("trafficPolicy: {outlierDetection: {minHealthPercent: -1}}", "spec.trafficPolicy.outlierDetection.minHealthPercent: must be between 0 and 100, got -1")]
    [InlineData("trafficPolicy: {outlierDetection: {consecutive5xxErrors: -1}}", "spec.trafficPolicy.outlierDetection.consecutive5xxErrors: must not be negative, got -1")]
    [InlineData("trafficPolicy: {outlierDetection: {consecutiveErrors: -1}}", "spec.trafficPolicy.outlierDetection.consecutiveErrors: must not be negative, got -1")]
    [InlineData("trafficPolicy: {outlierDetection: {interval: -1s}}", "spec.trafficPolicy.outlierDetection.interval: must be at least 1ms, got -1s")]
    [InlineData("trafficPolicy: {outlierDetection: {baseEjectionTime: 0s}}", "spec.trafficPolicy.outlierDetection.baseEjectionTime: must be at least 1ms, got 0s")]
    [InlineData("trafficPolicy: {tls: {mode: SIMPLE, credentialName: my-secret}}", "spec.trafficPolicy.tls.credentialName: not supported for DestinationRule: the gateway reads upstream TLS material from files; use clientCertificate, privateKey and caCertificates")]
    [InlineData("trafficPolicy: {portLevelSettings: [{port: {number: 80}}]}", "spec.trafficPolicy.portLevelSettings[0]: must set at least one of loadBalancer, connectionPool, outlierDetection or tls")]
    [InlineData("trafficPolicy: {portLevelSettings: [{loadBalancer: {simple: RANDOM}}]}", "spec.trafficPolicy.portLevelSettings[0].port.number: required")]
    [InlineData("trafficPolicy: {portLevelSettings: [{port: {number: 0}, loadBalancer: {simple: RANDOM}}]}", "spec.trafficPolicy.portLevelSettings[0].port.number: must be between 1 and 65535, got 0")]
    [InlineData("trafficPolicy: {portLevelSettings: [{port: {number: 80}, loadBalancer: {simple: RANDOM}}, {port: {number: 80}, tls: {mode: DISABLE}}]}", "spec.trafficPolicy.portLevelSettings[1].port.number: port 80 already has portLevelSettings")]
    [InlineData("trafficPolicy: {portLevelSettings: [{port: {number: 80}, outlierDetection: {maxEjectionPercent: 101}}]}", "spec.trafficPolicy.portLevelSettings[0].outlierDetection.maxEjectionPercent: must be between 0 and 100, got 101")]
    [InlineData("subsets: [{name: v1, trafficPolicy: {connectionPool: {http: {http2MaxRequests: -5}}}}]", "spec.subsets[0].trafficPolicy.connectionPool.http.http2MaxRequests: must not be negative, got -5")]
    public void Load_InvalidPolicy_ErrorNamesResourceAndField(string spec, string expected)
    {
        Assert.Equal([Prefix + expected], Errors(spec));
    }

    [Theory]
    [InlineData("trafficPolicy: {loadBalancer: {localityLbSetting: {enabled: true}}}", "spec.trafficPolicy.loadBalancer.localityLbSetting: not applied: the gateway balances over one locality (every endpoint is local)")]
    [InlineData("trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN, warmupDurationSecs: 60s}}", "spec.trafficPolicy.loadBalancer.warmupDurationSecs: not applied: endpoints take their full share of traffic at once (no slow start)")]
    [InlineData("trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN, warmup: {duration: 60s}}}", "spec.trafficPolicy.loadBalancer.warmup: not applied: endpoints take their full share of traffic at once (no slow start)")]
    [InlineData("trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x, maglev: {tableSize: 65537}}}}", "spec.trafficPolicy.loadBalancer.consistentHash.maglev: served as a ring hash (the gateway implements one consistent hash); tableSize is not applied")]
    [InlineData("trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x, minimumRingSize: 64}}}", "spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize: deprecated: use ringHash.minimumRingSize")]
    [InlineData("trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: c, ttl: 1s, attributes: [{name: SameSite, value: Strict}]}}}}", "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes: not applied: the generated cookie carries Path and Max-Age only")]
    [InlineData("trafficPolicy: {connectionPool: {tcp: {tcpKeepalive: {time: 10s}}}}", "spec.trafficPolicy.connectionPool.tcp.tcpKeepalive: not applied: the gateway does not set TCP keepalive on upstream connections")]
    [InlineData("trafficPolicy: {connectionPool: {http: {useClientProtocol: true}}}", "spec.trafficPolicy.connectionPool.http.useClientProtocol: not applied: the gateway speaks the upstream's protocol (its ServiceEntry port protocol, or h2UpgradePolicy)")]
    [InlineData("trafficPolicy: {connectionPool: {http: {maxConcurrentStreams: 10}}}", "spec.trafficPolicy.connectionPool.http.maxConcurrentStreams: not applied: streams per HTTP/2 connection are bounded by the upstream's SETTINGS_MAX_CONCURRENT_STREAMS")]
    [InlineData("trafficPolicy: {connectionPool: {tcp: {idleTimeout: 1m}, http: {idleTimeout: 2m}}}", "spec.trafficPolicy.connectionPool.tcp.idleTimeout: ignored: http.idleTimeout is set (the gateway has one idle timeout per upstream connection)")]
    [InlineData("subsets: [{name: v1, trafficPolicy: {connectionPool: {http: {h2UpgradePolicy: UPGRADE}}}}]", "spec.subsets[0].trafficPolicy.connectionPool.http.h2UpgradePolicy: not applied: the gateway picks HTTP/2 per upstream; set UPGRADE in the top-level spec.trafficPolicy.connectionPool")]
    [InlineData("trafficPolicy: {outlierDetection: {splitExternalLocalOriginErrors: true}}", "spec.trafficPolicy.outlierDetection.splitExternalLocalOriginErrors: not applied: connect failures count as 5xx and gateway errors (Envoy's behaviour without the split)")]
    [InlineData("trafficPolicy: {outlierDetection: {consecutiveLocalOriginFailures: 3}}", "spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures: not applied: connect failures count as 5xx and gateway errors (Envoy's behaviour without the split)")]
    [InlineData("trafficPolicy: {tunnel: {protocol: CONNECT, targetHost: h, targetPort: 80}}", "spec.trafficPolicy.tunnel: not applied: the gateway does not tunnel upstream connections")]
    [InlineData("trafficPolicy: {proxyProtocol: {version: V1}}", "spec.trafficPolicy.proxyProtocol: not applied: the gateway does not send PROXY protocol headers upstream")]
    [InlineData("trafficPolicy: {retryBudget: {percent: {value: 20}}}", "spec.trafficPolicy.retryBudget: not applied: retries are bounded per route (VirtualService retries) and by connectionPool.http.maxRetries")]
    public void Load_FieldNotApplied_Warning(string spec, string expected)
    {
        Assert.Contains(Prefix + expected, Warnings(spec));
    }

    [Fact]
    public void Load_CaCrl_WarningNotApplied()
    {
        var result = Load("trafficPolicy: {tls: {mode: SIMPLE, caCrl: /etc/crl.pem}}");

        Assert.Empty(result.Errors);
        Assert.Equal([Prefix + "spec.trafficPolicy.tls.caCrl: not applied: certificate revocation is not checked"], result.Warnings);
    }

    [Fact]
    public void Load_InvalidPolicy_NeverReachesTheGateway()
    {
        var result = Yaml.Load(Yaml.Service("svc"), Rule("trafficPolicy: {outlierDetection: {maxEjectionPercent: 150}, connectionPool: {tcp: {maxConnections: -1}}}"));

        // Every error is listed, not only the first.
        Assert.Equal(2, result.Errors.Count);
    }
}
