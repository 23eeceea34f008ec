namespace Gateway.Middleware.Configuration;

/// <summary>
/// One Istio <c>HTTPMatchRequest</c> (or Gateway API <c>HTTPRouteMatch</c>): every condition that is set
/// must hold.
/// </summary>
internal sealed record RouteMatchConfig
{
    /// <summary>Path condition (Istio <c>uri</c>, Gateway API <c>path</c>).</summary>
    public StringMatchConfig? Path { get; init; }

    /// <summary>Istio <c>ignoreUriCase</c>: exact and prefix path matches ignore case.</summary>
    public bool IgnoreUriCase { get; init; }

    public StringMatchConfig? Scheme { get; init; }

    public StringMatchConfig? Method { get; init; }

    public StringMatchConfig? Authority { get; init; }

    /// <summary>Header conditions; a <see langword="null"/> match means "present".</summary>
    public IReadOnlyList<NamedMatchConfig> Headers { get; init; } = [];

    /// <summary>Istio <c>withoutHeaders</c>: the rule matches only if none of these holds.</summary>
    public IReadOnlyList<NamedMatchConfig> WithoutHeaders { get; init; } = [];

    /// <summary>Query parameter conditions; a <see langword="null"/> match means "present".</summary>
    public IReadOnlyList<NamedMatchConfig> QueryParams { get; init; } = [];

    /// <summary>The local port the request arrived on.</summary>
    public int? Port { get; init; }

    /// <summary>Compatibility for the first builder cut: a plain path prefix.</summary>
    public string? PathPrefix
    {
        get => Path is { Kind: StringMatchKind.Prefix } path ? path.Value : null;
        init => Path = value is null ? null : new StringMatchConfig(StringMatchKind.Prefix, value);
    }
}
