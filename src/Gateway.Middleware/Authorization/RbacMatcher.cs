namespace Gateway.Middleware.Authorization;

/// <summary>
/// One compiled, immutable predicate of a policy (Envoy RBAC's <c>Principal</c>/<c>Permission</c> tree).
/// Matchers that read no claims allocate nothing.
/// </summary>
internal abstract class RbacMatcher
{
    public abstract bool Matches(in RbacRequest request);
}
