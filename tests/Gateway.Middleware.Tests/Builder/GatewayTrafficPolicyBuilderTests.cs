using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.Builder;

/// <summary>The fluent DestinationRule <c>trafficPolicy</c>: what it declares and how Istio's merge resolves it.</summary>
public sealed class GatewayTrafficPolicyBuilderTests
{
    [Fact]
    public void UpstreamPolicy_EveryField_Declared()
    {
        var upstream = Build(u => u
            .ConsistentHash(h => h.Cookie("user", TimeSpan.FromMinutes(5), "/app").MinimumRingSize(2048))
            .ConnectionPool(p => p.MaxConnections(10).Http1MaxPendingRequests(2).Http2MaxRequests(50).MaxRequestsPerConnection(1).MaxRetries(3)
                .ConnectTimeout(TimeSpan.FromSeconds(2)).IdleTimeout(TimeSpan.FromSeconds(30)).MaxConnectionDuration(TimeSpan.FromMinutes(5)))
            .OutlierDetection(o => o.Consecutive5xxErrors(3).ConsecutiveGatewayErrors(2).Interval(TimeSpan.FromSeconds(5))
                .BaseEjectionTime(TimeSpan.FromSeconds(15)).MaxEjectionPercent(50).MinHealthPercent(20)));

        var policy = upstream.TrafficPolicy!;
        Assert.Equal(new ConsistentHashConfig { HttpCookie = new HashCookieConfig("user") { Ttl = TimeSpan.FromMinutes(5), Path = "/app" }, MinimumRingSize = 2048 }, policy.LoadBalancer!.ConsistentHash);
        Assert.Equal(
            new ConnectionPoolConfig
            {
                MaxConnections = 10, Http1MaxPendingRequests = 2, Http2MaxRequests = 50, MaxRequestsPerConnection = 1, MaxRetries = 3,
                ConnectTimeout = TimeSpan.FromSeconds(2), IdleTimeout = TimeSpan.FromSeconds(30), MaxConnectionDuration = TimeSpan.FromMinutes(5),
            },
            policy.ConnectionPool);
        Assert.Equal(
            new OutlierDetectionConfig
            {
                Consecutive5xxErrors = 3, ConsecutiveGatewayErrors = 2, Interval = TimeSpan.FromSeconds(5),
                BaseEjectionTime = TimeSpan.FromSeconds(15), MaxEjectionPercent = 50, MinHealthPercent = 20,
            },
            policy.OutlierDetection);
        Assert.Equal("upstream 'reviews'", policy.Source);
        Assert.Equal("trafficPolicy", policy.SourcePath);
    }

    [Fact]
    public void NoPolicy_NoTrafficPolicy()
    {
        Assert.Null(Build(u => { }).TrafficPolicy);
    }

    [Fact]
    public void OutlierDetection_Unset_IstioDefaults()
    {
        var outlier = Build(u => u.OutlierDetection(o => { })).TrafficPolicy!.OutlierDetection!;

        Assert.Equal(5, outlier.Consecutive5xxErrors);
        Assert.Equal(0, outlier.ConsecutiveGatewayErrors);
        Assert.Equal(TimeSpan.FromSeconds(10), outlier.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), outlier.BaseEjectionTime);
        Assert.Equal(10, outlier.MaxEjectionPercent);
        Assert.Equal(0, outlier.MinHealthPercent);
    }

    /// <summary>Istio <c>MergeTrafficPolicy</c>: subset fields override the upstream's; a port-level entry replaces all of them.</summary>
    [Fact]
    public void SubsetAndPortPolicies_ResolvedAsIstioMergesThem()
    {
        var upstream = Build(u => u
            .Endpoint("http://127.0.0.1:9080", servicePort: 9080)
            .Endpoint("http://127.0.0.1:9081", servicePort: 9081)
            .LoadBalancer(LoadBalancerPolicy.RoundRobin)
            .ConnectionPool(p => p.MaxConnections(5))
            .PortPolicy(9081, p => p.LoadBalancer(LoadBalancerPolicy.Random))
            .Subset("sticky", [], p => p.ConsistentHash(h => h.Header("x-user"))));
        var sticky = upstream.Subsets.Single(s => s.Name == "sticky");

        var top = TrafficPolicyResolver.Resolve(upstream, null, 9080);
        var port = TrafficPolicyResolver.Resolve(upstream, null, 9081);
        var subset = TrafficPolicyResolver.Resolve(upstream, sticky, 9080);

        Assert.Equal(LoadBalancerPolicy.RoundRobin, top.LoadBalancer!.Policy);
        Assert.Equal(5, top.ConnectionPool!.MaxConnections);
        Assert.Equal(LoadBalancerPolicy.Random, port.LoadBalancer!.Policy);
        Assert.Null(port.ConnectionPool);
        Assert.Equal(9081, port.PortLevelPort);
        Assert.Equal("x-user", subset.LoadBalancer!.ConsistentHash!.HttpHeaderName);
        Assert.Equal(5, subset.ConnectionPool!.MaxConnections);
        Assert.Equal("subsets[0].trafficPolicy", sticky.TrafficPolicy!.SourcePath);
    }

    [Fact]
    public void ConsistentHash_TwoKeys_Throws()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Build(u => u.ConsistentHash(h => h.Header("x-user").SourceIp())));

        Assert.Equal("consistentHash: one hash key only, got httpHeaderName and useSourceIp.", exception.Message);
    }

    [Fact]
    public void ConsistentHash_NoKey_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Build(u => u.ConsistentHash(h => h.MinimumRingSize(8))));
    }

    [Fact]
    public void PortPolicy_Nested_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Build(u => u.PortPolicy(80, p => p.PortPolicy(81, _ => { }))));
    }

    [Fact]
    public void OutOfRangeArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(u => u.ConnectionPool(p => p.MaxConnections(0))));
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(u => u.OutlierDetection(o => o.MaxEjectionPercent(101))));
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(u => u.OutlierDetection(o => o.BaseEjectionTime(TimeSpan.Zero))));
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(u => u.LoadBalancer((LoadBalancerPolicy)7)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(u => u.PortPolicy(0, _ => { })));
    }

    private static UpstreamConfig Build(Action<GatewayUpstreamBuilder> configure)
    {
        var builder = new GatewayUpstreamBuilder("reviews");
        configure(builder);
        return builder.Build();
    }
}
