namespace Gateway.Middleware.Authorization;

/// <summary><c>request.auth.audiences</c>: any of the validated token's audiences matches.</summary>
internal sealed class RbacAudienceMatcher : RbacMatcher
{
    private readonly RbacStringPattern[] _patterns;

    public RbacAudienceMatcher(RbacStringPattern[] patterns)
    {
        _patterns = patterns;
    }

    public override bool Matches(in RbacRequest request)
    {
        if (request.Principal is not { } principal)
        {
            return false;
        }

        foreach (var audience in principal.Audiences)
        {
            if (RbacStringPattern.MatchesAny(_patterns, audience))
            {
                return true;
            }
        }

        return false;
    }
}
