using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Configuration;

/// <summary>A named upstream service and its endpoints.</summary>
internal sealed record UpstreamConfig
{
    public required string Name { get; init; }

    /// <summary>Endpoint addresses as written (<c>http://127.0.0.1:5001</c>); validated at compile time.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    public UpstreamProtocol Protocol { get; init; } = UpstreamProtocol.Http1;

    /// <summary>TCP connect timeout; Envoy's cluster default is 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public UpstreamTlsConfig? Tls { get; init; }

    public string Source { get; init; } = "";
}
