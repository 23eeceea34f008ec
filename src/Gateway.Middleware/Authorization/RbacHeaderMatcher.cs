using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Authorization;

/// <summary>
/// <c>request.headers[name]</c>: the header's value matches. Several values are compared joined with
/// <c>,</c> as Envoy's header matcher sees them; <c>*</c> means present with a value.
/// </summary>
internal sealed class RbacHeaderMatcher : RbacMatcher
{
    private readonly string _name;
    private readonly RbacStringPattern[] _patterns;

    public RbacHeaderMatcher(string name, RbacStringPattern[] patterns)
    {
        _name = name;
        _patterns = patterns;
    }

    public override bool Matches(in RbacRequest request)
    {
        var values = request.Context.Request.Headers[_name];
        if (StringValues.IsNullOrEmpty(values))
        {
            return false;
        }

        var value = values.Count == 1 ? values[0] : string.Join(',', values.ToArray());
        return RbacStringPattern.MatchesAny(_patterns, value);
    }
}
