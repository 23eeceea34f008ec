using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares one authorization policy (Istio <c>AuthorizationPolicy</c>): its action and rules. A policy
/// without rules matches nothing, so an ALLOW policy without rules denies every request (<c>spec: {}</c>); a
/// rule without conditions (<c>.Rule(_ =&gt; { })</c>) matches every request.
/// </summary>
public sealed class GatewayAuthorizationPolicyBuilder
{
    private readonly string _name;
    private readonly List<AuthorizationPolicyRuleConfig> _rules = [];
    private AuthorizationPolicyAction _action = AuthorizationPolicyAction.Allow;

    internal GatewayAuthorizationPolicyBuilder(string name)
    {
        _name = name;
    }

    /// <summary>Requests matching a rule are allowed; once any ALLOW policy exists, other requests get 403. The default.</summary>
    public GatewayAuthorizationPolicyBuilder Allow()
    {
        _action = AuthorizationPolicyAction.Allow;
        return this;
    }

    /// <summary>Requests matching a rule get 403 <c>RBAC: access denied</c>, whatever ALLOW policies say.</summary>
    public GatewayAuthorizationPolicyBuilder Deny()
    {
        _action = AuthorizationPolicyAction.Deny;
        return this;
    }

    /// <summary>Requests matching a rule are logged (event 402); the decision is unchanged.</summary>
    public GatewayAuthorizationPolicyBuilder Audit()
    {
        _action = AuthorizationPolicyAction.Audit;
        return this;
    }

    /// <summary>Adds a rule; the policy matches when any of its rules does.</summary>
    public GatewayAuthorizationPolicyBuilder Rule(Action<GatewayAuthorizationRuleBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var rule = new GatewayAuthorizationRuleBuilder();
        configure(rule);
        _rules.Add(rule.Build());
        return this;
    }

    internal AuthorizationPolicyConfig Build() => new()
    {
        Name = _name,
        Action = _action,
        Rules = [.. _rules],
        Source = $"authorization policy '{_name}'",
    };
}
