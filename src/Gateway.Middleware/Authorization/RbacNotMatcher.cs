namespace Gateway.Middleware.Authorization;

/// <summary>The <c>not*</c> fields and <c>notValues</c>: matches when the inner matcher does not.</summary>
internal sealed class RbacNotMatcher : RbacMatcher
{
    private readonly RbacMatcher _inner;

    public RbacNotMatcher(RbacMatcher inner)
    {
        _inner = inner;
    }

    public override bool Matches(in RbacRequest request) => !_inner.Matches(request);
}
