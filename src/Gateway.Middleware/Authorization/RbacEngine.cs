namespace Gateway.Middleware.Authorization;

/// <summary>
/// The gateway's compiled authorization policies, evaluated in Istio's order: any matching DENY policy
/// denies; otherwise with no ALLOW policy the request is allowed; otherwise a matching ALLOW policy allows and
/// anything else is denied. AUDIT policies never change the decision.
/// </summary>
internal sealed class RbacEngine
{
    public static readonly RbacEngine Empty = new([]);

    private readonly RbacPolicy[] _deny;
    private readonly RbacPolicy[] _allow;
    private readonly RbacPolicy[] _audit;

    public RbacEngine(IReadOnlyList<RbacPolicy> policies)
    {
        var deny = new List<RbacPolicy>();
        var allow = new List<RbacPolicy>();
        var audit = new List<RbacPolicy>();
        foreach (var policy in policies)
        {
            (policy.Action switch
            {
                AuthorizationPolicyAction.Deny => deny,
                AuthorizationPolicyAction.Audit => audit,
                _ => allow,
            }).Add(policy);
        }

        _deny = [.. deny];
        _allow = [.. allow];
        _audit = [.. audit];
    }

    /// <summary>Whether there is no policy at all (the stage then does nothing).</summary>
    public bool IsEmpty => _deny.Length + _allow.Length + _audit.Length == 0;

    public bool HasAuditPolicies => _audit.Length > 0;

    /// <summary>
    /// Whether the request may proceed. <paramref name="deciding"/> is the DENY policy that denied or the ALLOW
    /// policy that allowed; <see langword="null"/> when no policy decided (no ALLOW policy exists, or none matched).
    /// </summary>
    public bool IsAllowed(in RbacRequest request, out RbacPolicy? deciding)
    {
        foreach (var policy in _deny)
        {
            if (policy.Matches(request))
            {
                deciding = policy;
                return false;
            }
        }

        deciding = null;
        if (_allow.Length == 0)
        {
            return true;
        }

        foreach (var policy in _allow)
        {
            if (policy.Matches(request))
            {
                deciding = policy;
                return true;
            }
        }

        return false;
    }

    /// <summary>The first AUDIT policy matching the request, if any.</summary>
    public RbacPolicy? MatchAudit(in RbacRequest request)
    {
        foreach (var policy in _audit)
        {
            if (policy.Matches(request))
            {
                return policy;
            }
        }

        return null;
    }
}
