namespace Gateway.Middleware.Configuration;

/// <summary>A weighted destination: the service host, and optionally a subset and a service port.</summary>
internal sealed record DestinationConfig(string Upstream, int Weight)
{
    public string? Subset { get; init; }

    public int? Port { get; init; }

    public HeaderOperationsConfig? RequestHeaders { get; init; }

    public HeaderOperationsConfig? ResponseHeaders { get; init; }
}
