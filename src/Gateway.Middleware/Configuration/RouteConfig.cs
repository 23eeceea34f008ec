namespace Gateway.Middleware.Configuration;

/// <summary>One route: the hosts it serves, the matches that select it (ORed) and where it sends traffic.</summary>
internal sealed record RouteConfig
{
    public required string Name { get; init; }

    /// <summary>Host patterns (exact, <c>*.suffix</c> or <c>*</c>); empty means every host.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Alternative matches; the route is selected when any one matches. Empty matches everything.</summary>
    public IReadOnlyList<RouteMatchConfig> Matches { get; init; } = [];

    public IReadOnlyList<DestinationConfig> Destinations { get; init; } = [];

    /// <summary>Whole-exchange timeout; <see langword="null"/> disables it (Istio's default).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Where the route was declared, for error messages (e.g. <c>route 'reviews'</c>).</summary>
    public string Source { get; init; } = "";
}
