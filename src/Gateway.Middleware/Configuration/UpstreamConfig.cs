using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Configuration;

/// <summary>
/// A named upstream service (an Istio ServiceEntry host, or <c>AddUpstream</c>): its endpoints, with
/// labels for subsets, and how the gateway talks to them.
/// </summary>
internal sealed record UpstreamConfig
{
    public required string Name { get; init; }

    public IReadOnlyList<EndpointConfig> Endpoints { get; init; } = [];

    /// <summary>DestinationRule subsets: name → labels an endpoint must carry.</summary>
    public IReadOnlyList<SubsetConfig> Subsets { get; init; } = [];

    public UpstreamProtocol Protocol { get; init; } = UpstreamProtocol.Http1;

    /// <summary>TCP connect timeout; Envoy's cluster default is 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public UpstreamTlsConfig? Tls { get; init; }

    /// <summary>The DestinationRule top-level <c>trafficPolicy</c>; <see langword="null"/> when none applies.</summary>
    public TrafficPolicyConfig? TrafficPolicy { get; init; }

    /// <summary>
    /// When set, requests routed here are answered locally with this status instead of being forwarded
    /// (a Gateway API backendRef that cannot be resolved answers 500). <see langword="null"/>: forward.
    /// </summary>
    public int? LocalReplyStatus { get; init; }

    /// <summary>
    /// Stands in for a destination host its source names but does not declare (an Istio VirtualService whose
    /// host no ServiceEntry of the same YAML declares): no endpoints, so 503. When sources are merged, an
    /// upstream of the same name declared anywhere else (the builder, appsettings.json, another YAML source)
    /// replaces it.
    /// </summary>
    public bool IsPlaceholder { get; init; }

    public string Source { get; init; } = "";
}
