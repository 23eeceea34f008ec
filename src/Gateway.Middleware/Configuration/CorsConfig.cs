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
}
