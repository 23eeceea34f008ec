namespace Gateway.Middleware.Configuration;

/// <summary>A DestinationRule subset: the endpoints whose labels include all of <see cref="Labels"/>.</summary>
internal sealed record SubsetConfig(string Name, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The subset's own <c>trafficPolicy</c>, merged over the upstream's by <see cref="TrafficPolicyResolver"/>.</summary>
    public TrafficPolicyConfig? TrafficPolicy { get; init; }
}
