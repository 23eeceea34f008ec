using System.Globalization;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams.CircuitBreaking;
using Gateway.Middleware.Upstreams.LoadBalancing;
using Gateway.Middleware.Upstreams.OutlierDetection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Middleware.Upstreams;

/// <summary>
/// A compiled destination cluster: one service, optionally narrowed to a subset and a port, its endpoints,
/// and the pooled <see cref="HttpMessageInvoker"/> its requests share. Named as Istio names clusters
/// (<c>outbound|port|subset|host</c>). It runs its traffic policy: load balancer, circuit breaker and outlier
/// detection (UpstreamCluster.Traffic.cs); their state lives as long as the configuration snapshot.
/// </summary>
internal sealed partial class UpstreamCluster
{
    private readonly UpstreamEndpoint[] _endpoints;
    private readonly EndpointSet _states;
    private readonly LoadBalancer _balancer;
    private readonly OutlierDetector? _outlier;
    private readonly bool _countActive;
    private int _activeRequests;

    public UpstreamCluster(
        string serviceName,
        string? subset,
        int? port,
        UpstreamEndpoint[] endpoints,
        UpstreamProtocol protocol,
        HttpMessageInvoker invoker,
        ResolvedTrafficPolicy policy,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        Diagnostics.GatewayMetrics? metrics = null)
    {
        Policy = policy;
        ServiceName = serviceName;
        Subset = subset;
        Port = port;
        _endpoints = endpoints;
        Protocol = protocol;
        Invoker = invoker;
        Name = string.Create(CultureInfo.InvariantCulture, $"outbound|{port}|{subset}|{serviceName}");

        var outlier = OutlierDetector.IsEnabled(policy.OutlierDetection) ? policy.OutlierDetection : null;
        _states = new EndpointSet(endpoints.Length, outlier?.MinHealthPercent ?? 0);
        _balancer = LoadBalancerFactory.Create(policy.LoadBalancer, endpoints);
        _countActive = _balancer is LeastRequestLoadBalancer;
        Logger = logger ?? NullLogger.Instance;
        CircuitBreaker = policy.ConnectionPool is null ? CircuitBreaker.Unlimited : new CircuitBreaker(policy.ConnectionPool, protocol);
        if (outlier is not null)
        {
            _outlier = new OutlierDetector(outlier, _states, endpoints, Name, timeProvider ?? TimeProvider.System, Logger, metrics);
        }
    }

    /// <summary><c>outbound|port|subset|host</c>, as Istio names the Envoy cluster.</summary>
    public string Name { get; }

    /// <summary>The service (upstream) name.</summary>
    public string ServiceName { get; }

    public string? Subset { get; }

    public int? Port { get; }

    public UpstreamProtocol Protocol { get; }

    /// <summary>The merged DestinationRule policy this cluster runs with.</summary>
    public ResolvedTrafficPolicy Policy { get; }

    /// <summary>When set, the cluster answers this status itself (an unresolvable Gateway API backendRef: 500).</summary>
    public int? LocalReplyStatus { get; init; }

    public HttpMessageInvoker Invoker { get; }

    public ReadOnlySpan<UpstreamEndpoint> Endpoints => _endpoints;

    /// <summary>The admission limits from <c>connectionPool</c>.</summary>
    public CircuitBreaker CircuitBreaker { get; }

    /// <summary>The connections of this cluster's connection pool (shared by the clusters sharing the pool).</summary>
    public UpstreamConnections Connections { get; init; } = new();

    /// <summary>Tries in flight to this cluster's endpoints (Envoy <c>upstream_rq_active</c>).</summary>
    public int ActiveRequests => Volatile.Read(ref _activeRequests);

    /// <summary>Where ejections, readmissions and overflows are logged.</summary>
    public ILogger Logger { get; }

    internal LoadBalancer LoadBalancer => _balancer;

    internal EndpointSet EndpointStates => _states;
}
