namespace Gateway.Middleware.Configuration;

/// <summary>One <see cref="GatewayUpstreamOverrideOptions"/> redirect: a service, or one of its subsets, to an address.</summary>
internal sealed record UpstreamOverride(string Upstream, string? Subset, string Address);
