namespace Gateway.Middleware.Authorization;

/// <summary>Matches when any inner matcher does (the rules of a policy, the entries of <c>from</c> or <c>to</c>).</summary>
internal sealed class RbacOrMatcher : RbacMatcher
{
    private readonly RbacMatcher[] _matchers;

    public RbacOrMatcher(RbacMatcher[] matchers)
    {
        _matchers = matchers;
    }

    public override bool Matches(in RbacRequest request)
    {
        foreach (var matcher in _matchers)
        {
            if (matcher.Matches(request))
            {
                return true;
            }
        }

        return false;
    }
}
