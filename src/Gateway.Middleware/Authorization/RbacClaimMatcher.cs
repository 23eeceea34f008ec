using System.Text.Json;

namespace Gateway.Middleware.Authorization;

/// <summary>
/// <c>request.auth.claims[a][b]</c>: the claim at that path of the validated token is a string matching a
/// value, or a list with a string element matching one. Claims of other types never match.
/// </summary>
internal sealed class RbacClaimMatcher : RbacMatcher
{
    private readonly string[] _path;
    private readonly RbacStringPattern[] _patterns;

    public RbacClaimMatcher(string[] path, RbacStringPattern[] patterns)
    {
        _path = path;
        _patterns = patterns;
    }

    public override bool Matches(in RbacRequest request)
    {
        if (request.Principal is not { } principal)
        {
            return false;
        }

        var claim = principal.Claims;
        foreach (var name in _path)
        {
            if (claim.ValueKind != JsonValueKind.Object || !claim.TryGetProperty(name, out claim))
            {
                return false;
            }
        }

        if (claim.ValueKind == JsonValueKind.String)
        {
            return RbacStringPattern.MatchesAny(_patterns, claim.GetString());
        }

        if (claim.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in claim.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.String && RbacStringPattern.MatchesAny(_patterns, element.GetString()))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
