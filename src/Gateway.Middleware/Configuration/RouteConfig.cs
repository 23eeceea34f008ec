namespace Gateway.Middleware.Configuration;

/// <summary>
/// One routing rule: an Istio VirtualService <c>http[]</c> entry, or one Gateway API HTTPRoute rule.
/// Matches select it (ORed), then exactly one action applies: destinations, a redirect or a direct response.
/// </summary>
internal sealed record RouteConfig
{
    public required string Name { get; init; }

    /// <summary>Host patterns (exact, <c>*.suffix</c> or <c>*</c>); empty means every host.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Names of the servers the rule binds to; empty binds to every server whose hosts intersect.</summary>
    public IReadOnlyList<string> Servers { get; init; } = [];

    /// <summary>How rules sharing a host are ordered: Istio (declaration order) or Gateway API (precedence).</summary>
    public RouteOrdering Ordering { get; init; } = RouteOrdering.FirstMatch;

    /// <summary>Gateway API tie-breakers: the route's creation order and its namespace/name, and the rule index.</summary>
    public GatewayApiRouteIdentity? GatewayApi { get; init; }

    /// <summary>Alternative matches; the rule is selected when any one matches. Empty matches everything.</summary>
    public IReadOnlyList<RouteMatchConfig> Matches { get; init; } = [];

    public IReadOnlyList<DestinationConfig> Destinations { get; init; } = [];

    public RedirectConfig? Redirect { get; init; }

    public DirectResponseConfig? DirectResponse { get; init; }

    public RewriteConfig? Rewrite { get; init; }

    public HeaderOperationsConfig? RequestHeaders { get; init; }

    public HeaderOperationsConfig? ResponseHeaders { get; init; }

    public FaultConfig? Fault { get; init; }

    /// <summary>Timeout from the end of the request to the end of the response; <see langword="null"/> disables it (Istio's default).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Retry policy; <see langword="null"/> applies Istio's default (2 attempts on connect-failure, refused-stream).</summary>
    public RetryConfig? Retries { get; init; }

    public IReadOnlyList<MirrorConfig> Mirrors { get; init; } = [];

    public CorsConfig? Cors { get; init; }

    /// <summary>Problems the fluent builder noticed while the rule was declared; reported by validation.</summary>
    public IReadOnlyList<string> DeclarationErrors { get; init; } = [];

    /// <summary>Where the rule was declared, for error messages (e.g. <c>route 'reviews'</c>, <c>vs.yaml#2 VirtualService default/reviews</c>).</summary>
    public string Source { get; init; } = "";

    /// <summary>The rule's path inside its source (e.g. <c>spec.http[0]</c>); field names in errors follow it.</summary>
    public string SourcePath { get; init; } = "";
}
