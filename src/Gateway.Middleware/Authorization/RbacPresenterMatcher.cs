namespace Gateway.Middleware.Authorization;

/// <summary><c>request.auth.presenter</c>: the validated token's <c>azp</c>.</summary>
internal sealed class RbacPresenterMatcher : RbacMatcher
{
    private readonly RbacStringPattern[] _patterns;

    public RbacPresenterMatcher(RbacStringPattern[] patterns)
    {
        _patterns = patterns;
    }

    public override bool Matches(in RbacRequest request)
        => request.Principal?.Presenter is { } presenter && RbacStringPattern.MatchesAny(_patterns, presenter);
}
