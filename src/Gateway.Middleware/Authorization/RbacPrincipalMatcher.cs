namespace Gateway.Middleware.Authorization;

/// <summary>
/// <c>requestPrincipals</c> and <c>request.auth.principal</c>: the validated token's <c>iss/sub</c>. A request
/// without a valid token matches nothing, not even <c>*</c>.
/// </summary>
internal sealed class RbacPrincipalMatcher : RbacMatcher
{
    private readonly RbacStringPattern[] _patterns;

    public RbacPrincipalMatcher(RbacStringPattern[] patterns)
    {
        _patterns = patterns;
    }

    public override bool Matches(in RbacRequest request)
        => request.Principal is { } principal && RbacStringPattern.MatchesAny(_patterns, principal.Name);
}
