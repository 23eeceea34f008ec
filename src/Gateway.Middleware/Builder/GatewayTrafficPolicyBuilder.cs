using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares a traffic policy (Istio DestinationRule <c>trafficPolicy</c>) for an upstream, one of its subsets or
/// one port: load balancer, connection pool and outlier detection. A subset's policy overrides the upstream's
/// field by field; a port policy replaces all of them for its port (Istio's merge).
/// </summary>
public sealed class GatewayTrafficPolicyBuilder
{
    private readonly bool _isPortPolicy;
    private readonly List<(int Port, GatewayTrafficPolicyBuilder Policy)> _ports = [];
    private LoadBalancerConfig? _loadBalancer;
    private ConnectionPoolConfig? _connectionPool;
    private OutlierDetectionConfig? _outlierDetection;

    internal GatewayTrafficPolicyBuilder(bool isPortPolicy = false)
    {
        _isPortPolicy = isPortPolicy;
    }

    /// <summary>How requests spread over the endpoints (Istio <c>loadBalancer.simple</c>). Default <see cref="LoadBalancerPolicy.LeastRequest"/>.</summary>
    public GatewayTrafficPolicyBuilder LoadBalancer(LoadBalancerPolicy policy)
    {
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown load balancer policy.");
        }

        _loadBalancer = new LoadBalancerConfig { Policy = policy };
        return this;
    }

    /// <summary>
    /// Sends requests with the same key to the same endpoint (Istio <c>loadBalancer.consistentHash</c>), e.g.
    /// <c>ConsistentHash(h =&gt; h.Header("x-user"))</c>.
    /// </summary>
    public GatewayTrafficPolicyBuilder ConsistentHash(Action<GatewayConsistentHashBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new GatewayConsistentHashBuilder();
        configure(builder);
        _loadBalancer = new LoadBalancerConfig { ConsistentHash = builder.Build() };
        return this;
    }

    /// <summary>Connection limits and circuit breaking (Istio <c>connectionPool</c>).</summary>
    public GatewayTrafficPolicyBuilder ConnectionPool(Action<GatewayConnectionPoolBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new GatewayConnectionPoolBuilder();
        configure(builder);
        _connectionPool = builder.Build();
        return this;
    }

    /// <summary>Ejects failing endpoints for a while (Istio <c>outlierDetection</c>).</summary>
    public GatewayTrafficPolicyBuilder OutlierDetection(Action<GatewayOutlierDetectionBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new GatewayOutlierDetectionBuilder();
        configure(builder);
        _outlierDetection = builder.Build();
        return this;
    }

    /// <summary>
    /// The policy for one service port (Istio <c>portLevelSettings</c>): it replaces this policy's load balancer,
    /// connection pool and outlier detection for that port; what it leaves out takes the defaults.
    /// </summary>
    public GatewayTrafficPolicyBuilder PortPolicy(int port, Action<GatewayTrafficPolicyBuilder> configure)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentNullException.ThrowIfNull(configure);
        if (_isPortPolicy)
        {
            throw new InvalidOperationException("portLevelSettings: a port policy cannot have port policies of its own.");
        }

        var builder = new GatewayTrafficPolicyBuilder(isPortPolicy: true);
        configure(builder);
        _ports.RemoveAll(p => p.Port == port);
        _ports.Add((port, builder));
        return this;
    }

    internal TrafficPolicyConfig Build(string source, string sourcePath)
    {
        var ports = new PortTrafficPolicyConfig[_ports.Count];
        for (var i = 0; i < ports.Length; i++)
        {
            var (port, policy) = _ports[i];
            ports[i] = new PortTrafficPolicyConfig
            {
                Port = port,
                LoadBalancer = policy._loadBalancer,
                ConnectionPool = policy._connectionPool,
                OutlierDetection = policy._outlierDetection,
            };
        }

        return new TrafficPolicyConfig
        {
            LoadBalancer = _loadBalancer,
            ConnectionPool = _connectionPool,
            OutlierDetection = _outlierDetection,
            PortLevelSettings = ports,
            Source = source,
            SourcePath = sourcePath,
        };
    }
}
