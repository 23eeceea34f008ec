namespace Gateway.Middleware.Configuration;

/// <summary>One Istio <c>HTTPMatchRequest</c>: every field that is set must match.</summary>
internal sealed record RouteMatchConfig
{
    /// <summary>A plain string prefix of the path (Istio <c>uri.prefix</c>: <c>/v2</c> matches <c>/v2example</c>).</summary>
    public string? PathPrefix { get; init; }
}
