namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>CorsPolicy</c>.</summary>
internal sealed record CorsConfig
{
    public IReadOnlyList<StringMatchConfig> AllowOrigins { get; init; } = [];

    public IReadOnlyList<string> AllowMethods { get; init; } = [];

    public IReadOnlyList<string> AllowHeaders { get; init; } = [];

    public IReadOnlyList<string> ExposeHeaders { get; init; } = [];

    public TimeSpan? MaxAge { get; init; }

    public bool AllowCredentials { get; init; }

    /// <summary>
    /// Istio <c>unmatchedPreflights</c>: <see langword="true"/> (FORWARD, the default) sends preflights from
    /// origins the policy does not allow upstream; <see langword="false"/> (IGNORE) answers them without
    /// CORS headers.
    /// </summary>
    public bool ForwardUnmatchedPreflights { get; init; } = true;
}
