namespace Gateway.Middleware.Authorization;

/// <summary><c>methods</c>: the request method, exact and case-sensitive as Envoy compares <c>:method</c>.</summary>
internal sealed class RbacMethodMatcher : RbacMatcher
{
    private readonly string[] _methods;

    public RbacMethodMatcher(string[] methods)
    {
        _methods = methods;
    }

    public override bool Matches(in RbacRequest request)
    {
        var method = request.Context.Request.Method;
        foreach (var candidate in _methods)
        {
            if (string.Equals(candidate, method, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
