namespace Gateway.Middleware.Authorization;

/// <summary>
/// Istio <c>Condition</c>: the attribute named by <see cref="Key"/> matches one of <see cref="Values"/> (when
/// given) and none of <see cref="NotValues"/>.
/// </summary>
internal sealed record AuthorizationPolicyConditionConfig
{
    public required string Key { get; init; }

    public IReadOnlyList<string> Values { get; init; } = [];

    public IReadOnlyList<string> NotValues { get; init; } = [];
}
