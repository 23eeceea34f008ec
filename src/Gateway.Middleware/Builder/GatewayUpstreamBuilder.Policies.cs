using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

public sealed partial class GatewayUpstreamBuilder
{
    /// <summary>The top-level traffic policy declared with the builder, if any.</summary>
    private static TrafficPolicyConfig? BuildTrafficPolicy() => null;
}
