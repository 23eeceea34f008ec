namespace Gateway.Middleware.Configuration;

/// <summary>A weighted destination: the upstream (service host) traffic goes to.</summary>
internal sealed record DestinationConfig(string Upstream, int Weight);
