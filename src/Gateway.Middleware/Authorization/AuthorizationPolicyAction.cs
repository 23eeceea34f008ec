namespace Gateway.Middleware.Authorization;

/// <summary>What an authorization policy does when one of its rules matches (Istio <c>AuthorizationPolicy.action</c>).</summary>
internal enum AuthorizationPolicyAction
{
    /// <summary>Allow a matching request. Once any ALLOW policy exists, requests no ALLOW policy matches are denied (403).</summary>
    Allow,

    /// <summary>Deny a matching request with 403 <c>RBAC: access denied</c>. DENY policies are evaluated first.</summary>
    Deny,

    /// <summary>Log a matching request; never changes the decision.</summary>
    Audit,

    /// <summary>Delegate to an external authorizer. Not supported: a policy with this action is a configuration error.</summary>
    Custom,
}
