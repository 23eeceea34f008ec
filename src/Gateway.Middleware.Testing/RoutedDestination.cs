using System.Globalization;

namespace Gateway.Middleware.Testing;

/// <summary>One destination of a matched rule: service host, subset, port and weight.</summary>
public sealed class RoutedDestination
{
    internal RoutedDestination(string host, string? subset, int? port, int weight, int? localReplyStatus, int endpoints)
    {
        Host = host;
        Subset = subset;
        Port = port;
        Weight = weight;
        LocalReplyStatus = localReplyStatus;
        EndpointCount = endpoints;
    }

    /// <summary>The upstream: an <c>AddUpstream</c> name or the service host (e.g. <c>reviews.default.svc.cluster.local</c>).</summary>
    public string Host { get; }

    /// <summary>The DestinationRule subset, or <see langword="null"/>.</summary>
    public string? Subset { get; }

    /// <summary>The service port, or <see langword="null"/> when the rule names none.</summary>
    public int? Port { get; }

    /// <summary>The weight (Istio splits traffic per request by weight; a single destination has its own weight, 100 in YAML).</summary>
    public int Weight { get; }

    /// <summary>
    /// The status the gateway answers itself for this destination instead of forwarding (500 for a Gateway API
    /// backendRef that cannot be resolved), or <see langword="null"/>.
    /// </summary>
    public int? LocalReplyStatus { get; }

    /// <summary>How many endpoints the destination has; 0 means the gateway answers 503 <c>no healthy upstream</c>.</summary>
    public int EndpointCount { get; }

    /// <summary>Whether this is <paramref name="host"/> (the same name, or its Kubernetes short name such as <c>reviews</c>) and, when given, the subset and port.</summary>
    /// <param name="host">The upstream name, service host or short name.</param>
    /// <param name="subset">The subset, or <see langword="null"/> for any.</param>
    /// <param name="port">The port, or <see langword="null"/> for any.</param>
    /// <returns>Whether it is.</returns>
    public bool Is(string host, string? subset = null, int? port = null)
        => Gateway.Middleware.Configuration.UpstreamOverrides.Names(host, Host)
            && (subset is null || subset == Subset)
            && (port is null || port == Port);

    /// <summary>E.g. <c>reviews.default.svc.cluster.local subset v2 port 9080 weight 100</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Host}{(Subset is null ? "" : " subset " + Subset)}{(Port is null ? "" : $" port {Port}")} weight {Weight}{(LocalReplyStatus is { } status ? $" (answers {status})" : EndpointCount == 0 ? " (no endpoints: 503)" : "")}");
}
