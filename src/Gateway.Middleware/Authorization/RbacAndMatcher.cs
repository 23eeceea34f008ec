namespace Gateway.Middleware.Authorization;

/// <summary>Matches when every inner matcher does (the fields of a rule, a source or an operation).</summary>
internal sealed class RbacAndMatcher : RbacMatcher
{
    private readonly RbacMatcher[] _matchers;

    public RbacAndMatcher(RbacMatcher[] matchers)
    {
        _matchers = matchers;
    }

    public override bool Matches(in RbacRequest request)
    {
        foreach (var matcher in _matchers)
        {
            if (!matcher.Matches(request))
            {
                return false;
            }
        }

        return true;
    }
}
