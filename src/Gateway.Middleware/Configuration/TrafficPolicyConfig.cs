namespace Gateway.Middleware.Configuration;

/// <summary>
/// An Istio DestinationRule <c>trafficPolicy</c> (top level or of a subset): how the gateway balances,
/// limits, ejects and secures its connections to one upstream. Every field is optional; what a
/// destination gets is resolved by <see cref="TrafficPolicyResolver"/> the way Istio merges them.
/// </summary>
internal sealed record TrafficPolicyConfig
{
    public LoadBalancerConfig? LoadBalancer { get; init; }

    public ConnectionPoolConfig? ConnectionPool { get; init; }

    public OutlierDetectionConfig? OutlierDetection { get; init; }

    public UpstreamTlsConfig? Tls { get; init; }

    /// <summary>Per-port overrides (<c>portLevelSettings</c>); each replaces all four fields for its port.</summary>
    public IReadOnlyList<PortTrafficPolicyConfig> PortLevelSettings { get; init; } = [];

    /// <summary>Where the policy was declared (e.g. <c>file#2 DestinationRule default/reviews</c>), for error messages.</summary>
    public string Source { get; init; } = "";

    /// <summary>The field path of the policy inside its source (e.g. <c>spec.subsets[1].trafficPolicy</c>).</summary>
    public string SourcePath { get; init; } = "";
}

/// <summary>A <c>portLevelSettings</c> entry: the policy for one service port.</summary>
internal sealed record PortTrafficPolicyConfig
{
    public required int Port { get; init; }

    public LoadBalancerConfig? LoadBalancer { get; init; }

    public ConnectionPoolConfig? ConnectionPool { get; init; }

    public OutlierDetectionConfig? OutlierDetection { get; init; }

    public UpstreamTlsConfig? Tls { get; init; }
}
