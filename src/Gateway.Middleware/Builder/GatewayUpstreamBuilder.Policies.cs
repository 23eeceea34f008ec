using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

public sealed partial class GatewayUpstreamBuilder
{
    private GatewayTrafficPolicyBuilder? _trafficPolicy;

    private GatewayTrafficPolicyBuilder Policy => _trafficPolicy ??= new GatewayTrafficPolicyBuilder();

    /// <summary>Declares the upstream's traffic policy (Istio DestinationRule <c>trafficPolicy</c>) in one place.</summary>
    public GatewayUpstreamBuilder TrafficPolicy(Action<GatewayTrafficPolicyBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Policy);
        return this;
    }

    /// <summary>
    /// How requests spread over the endpoints (Istio <c>trafficPolicy.loadBalancer.simple</c>). Default
    /// <see cref="LoadBalancerPolicy.LeastRequest"/> (Istio's default).
    /// </summary>
    public GatewayUpstreamBuilder LoadBalancer(LoadBalancerPolicy policy)
    {
        Policy.LoadBalancer(policy);
        return this;
    }

    /// <summary>
    /// Sends requests with the same key to the same endpoint (Istio <c>loadBalancer.consistentHash</c>), e.g.
    /// <c>.ConsistentHash(h =&gt; h.Header("x-user"))</c>.
    /// </summary>
    public GatewayUpstreamBuilder ConsistentHash(Action<GatewayConsistentHashBuilder> configure)
    {
        Policy.ConsistentHash(configure);
        return this;
    }

    /// <summary>
    /// Connection limits and circuit breaking (Istio <c>connectionPool</c>), e.g.
    /// <c>.ConnectionPool(p =&gt; p.MaxConnections(1).Http1MaxPendingRequests(1))</c>.
    /// </summary>
    public GatewayUpstreamBuilder ConnectionPool(Action<GatewayConnectionPoolBuilder> configure)
    {
        Policy.ConnectionPool(configure);
        return this;
    }

    /// <summary>
    /// Ejects failing endpoints for a while (Istio <c>outlierDetection</c>), e.g.
    /// <c>.OutlierDetection(o =&gt; o.Consecutive5xxErrors(3).BaseEjectionTime(TimeSpan.FromSeconds(30)))</c>.
    /// </summary>
    public GatewayUpstreamBuilder OutlierDetection(Action<GatewayOutlierDetectionBuilder> configure)
    {
        Policy.OutlierDetection(configure);
        return this;
    }

    /// <summary>The traffic policy of one service port (Istio <c>trafficPolicy.portLevelSettings</c>).</summary>
    public GatewayUpstreamBuilder PortPolicy(int port, Action<GatewayTrafficPolicyBuilder> configure)
    {
        Policy.PortPolicy(port, configure);
        return this;
    }

    /// <summary>
    /// Declares a subset with its own traffic policy (DestinationRule <c>subsets[].trafficPolicy</c>), which
    /// overrides the upstream's field by field, e.g.
    /// <c>.Subset("v2", [("version", "v2")], p =&gt; p.LoadBalancer(LoadBalancerPolicy.RoundRobin))</c>.
    /// </summary>
    public GatewayUpstreamBuilder Subset(string name, (string Key, string Value)[] labels, Action<GatewayTrafficPolicyBuilder> trafficPolicy)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(trafficPolicy);
        var policy = new GatewayTrafficPolicyBuilder();
        trafficPolicy(policy);
        _subsets.Add(new SubsetConfig(name, ToDictionary(labels))
        {
            TrafficPolicy = policy.Build($"upstream '{_name}'", $"subsets[{_subsets.Count}].trafficPolicy"),
        });
        return this;
    }

    /// <summary>The top-level traffic policy declared with the builder, if any.</summary>
    private TrafficPolicyConfig? BuildTrafficPolicy() => _trafficPolicy?.Build($"upstream '{_name}'", "trafficPolicy");
}
