namespace Gateway.Middleware.Authorization;

/// <summary>
/// <c>paths</c>: the request path without its query, after the gateway's path normalization, so the path that
/// is authorized is the path that is forwarded.
/// </summary>
internal sealed class RbacPathMatcher : RbacMatcher
{
    private readonly RbacPathPattern[] _patterns;

    public RbacPathMatcher(RbacPathPattern[] patterns)
    {
        _patterns = patterns;
    }

    public override bool Matches(in RbacRequest request)
    {
        var path = request.Context.Request.Path.Value;
        var span = string.IsNullOrEmpty(path) ? "/".AsSpan() : path.AsSpan();
        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(span))
            {
                return true;
            }
        }

        return false;
    }
}
