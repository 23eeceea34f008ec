namespace Gateway.Middleware.Configuration;

/// <summary>
/// The whole gateway model before compilation: what the fluent builder, <c>IConfiguration</c> and YAML
/// all produce. Immutable once built; validated and compiled as a whole.
/// </summary>
internal sealed record GatewayConfig(IReadOnlyList<RouteConfig> Routes, IReadOnlyList<UpstreamConfig> Upstreams);
