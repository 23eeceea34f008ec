using System.Text.Json;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing;

/// <summary>
/// Istio's routing on JWT claims: a VirtualService header match named <c>@request.auth.claims.&lt;name&gt;</c>
/// (nested <c>a.b</c>) matches the claim of the token the JWT stage validated — never a header the client sent
/// under that name. A string claim or any string element of a list claim may match; <c>{}</c> means the
/// claim is present. Without a valid token nothing matches.
/// </summary>
internal static class RouteClaimMatch
{
    public const string Prefix = "@request.auth.claims.";

    public static bool IsClaim(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool Matches(HttpContext context, string name, StringMatcher? match)
    {
        if (context.Features.Get<IGatewayFeature>() is not GatewayFeature { Principal: { } principal })
        {
            return false;
        }

        var claim = principal.Claims;
        var path = name.AsSpan(Prefix.Length);
        foreach (var range in path.Split('.'))
        {
            if (claim.ValueKind != JsonValueKind.Object || !claim.TryGetProperty(path[range], out claim))
            {
                return false;
            }
        }

        if (match is null)
        {
            return true;
        }

        if (claim.ValueKind == JsonValueKind.String)
        {
            return match.Matches(claim.GetString());
        }

        if (claim.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in claim.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.String && match.Matches(element.GetString()))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
