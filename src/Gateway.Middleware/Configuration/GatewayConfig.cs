namespace Gateway.Middleware.Configuration;

/// <summary>
/// The whole gateway model before compilation: what the fluent builder, <c>IConfiguration</c> and YAML
/// all produce. Immutable once built; validated and compiled as a whole.
/// </summary>
internal sealed record GatewayConfig(IReadOnlyList<RouteConfig> Routes, IReadOnlyList<UpstreamConfig> Upstreams)
{
    /// <summary>
    /// Istio Gateway servers / Gateway API listeners. Empty: a single implicit server on every port for
    /// every host, so routes alone decide.
    /// </summary>
    public IReadOnlyList<ServerConfig> Servers { get; init; } = [];

    /// <summary>AuthorizationPolicy resources, all applied to the gateway. Empty: every request is allowed.</summary>
    public IReadOnlyList<Authorization.AuthorizationPolicyConfig> AuthorizationPolicies { get; init; } = [];

    /// <summary>RequestAuthentication <c>jwtRules</c>, all applied to the gateway. Empty: tokens are not checked.</summary>
    public IReadOnlyList<Authentication.JwtRuleConfig> JwtRules { get; init; } = [];
}
