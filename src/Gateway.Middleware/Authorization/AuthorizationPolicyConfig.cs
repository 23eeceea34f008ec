namespace Gateway.Middleware.Authorization;

/// <summary>
/// An Istio <c>AuthorizationPolicy</c> applied to the gateway. A policy with no rules matches nothing, so an
/// ALLOW policy without rules (<c>spec: {}</c>) denies every request; a rule with no fields
/// (<c>rules: [{}]</c>) matches every request.
/// </summary>
internal sealed record AuthorizationPolicyConfig
{
    public required string Name { get; init; }

    public AuthorizationPolicyAction Action { get; init; } = AuthorizationPolicyAction.Allow;

    /// <summary>Rules; any one matching makes the policy match.</summary>
    public IReadOnlyList<AuthorizationPolicyRuleConfig> Rules { get; init; } = [];

    /// <summary>Where the policy came from, for error messages (e.g. <c>file#2 AuthorizationPolicy ns/name</c>).</summary>
    public string Source { get; init; } = "";

    /// <summary>Prepended to field paths in error messages: <c>spec.</c> for YAML resources.</summary>
    public string FieldPrefix { get; init; } = "";
}
