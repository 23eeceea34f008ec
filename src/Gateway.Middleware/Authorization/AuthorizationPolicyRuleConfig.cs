namespace Gateway.Middleware.Authorization;

/// <summary>
/// One rule (Istio <c>Rule</c>): <see cref="From"/>, <see cref="To"/> and <see cref="When"/> must all match;
/// an empty list places no constraint. Entries of <see cref="From"/> and of <see cref="To"/> are alternatives;
/// every <see cref="When"/> condition must hold.
/// </summary>
internal sealed record AuthorizationPolicyRuleConfig
{
    public IReadOnlyList<AuthorizationPolicySourceConfig> From { get; init; } = [];

    public IReadOnlyList<AuthorizationPolicyOperationConfig> To { get; init; } = [];

    public IReadOnlyList<AuthorizationPolicyConditionConfig> When { get; init; } = [];
}
