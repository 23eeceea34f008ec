namespace Gateway.Middleware.Configuration;

/// <summary>
/// An Istio <c>Gateway.spec.servers[]</c> entry or a Gateway API listener: the hosts served on a port.
/// </summary>
internal sealed record ServerConfig
{
    public required string Name { get; init; }

    /// <summary>The local port the server listens on; <see langword="null"/> means every port.</summary>
    public int? Port { get; init; }

    /// <summary>Host patterns served: exact, <c>*.suffix</c> or <c>*</c>.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = ["*"];

    /// <summary>Whether the server terminates TLS (then SNI and <c>:authority</c> must pick the same server, else 421).</summary>
    public bool Tls { get; init; }

    public string Source { get; init; } = "";
}
