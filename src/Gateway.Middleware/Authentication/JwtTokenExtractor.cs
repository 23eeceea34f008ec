using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Authentication;

/// <summary>Finds the token in the locations the rules name (Istio: <c>fromHeaders</c>, <c>fromParams</c>, <c>fromCookies</c>).</summary>
internal static class JwtTokenExtractor
{
    public enum Outcome
    {
        None,
        Found,
        Multiple,
    }

    /// <summary>
    /// The first location holding a token wins. A location repeated in the request (two <c>Authorization</c>
    /// headers, two <c>access_token</c> parameters) is refused: which one a backend would read is unknowable.
    /// </summary>
    public static Outcome Find(HttpRequest request, IReadOnlyList<JwtTokenLocation> locations, out string value, out int offset, out JwtTokenLocation? location)
    {
        value = "";
        offset = 0;
        location = null;
        foreach (var candidate in locations)
        {
            StringValues values = candidate.Kind switch
            {
                JwtTokenLocationKind.Header => request.Headers[candidate.Name],
                JwtTokenLocationKind.Param => request.QueryString.HasValue ? request.Query[candidate.Name] : StringValues.Empty,
                _ => request.Cookies.TryGetValue(candidate.Name, out var cookie) ? new StringValues(cookie) : StringValues.Empty,
            };

            if (values.Count == 0)
            {
                continue;
            }

            if (values.Count > 1)
            {
                return Outcome.Multiple;
            }

            var text = values[0] ?? "";
            var comparison = candidate.IsAuthorizationBearer ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (!text.StartsWith(candidate.Prefix, comparison) || text.AsSpan(candidate.Prefix.Length).Trim().IsEmpty)
            {
                // "Authorization: Basic ..." is not a JWT: the request has no token here.
                continue;
            }

            value = text;
            offset = candidate.Prefix.Length;
            location = candidate;
            return Outcome.Found;
        }

        return Outcome.None;
    }

    /// <summary>Removes the token before forwarding. Cookies are left: the header may carry others.</summary>
    public static void Remove(HttpRequest request, JwtTokenLocation location)
    {
        switch (location.Kind)
        {
            case JwtTokenLocationKind.Header:
                request.Headers.Remove(location.Name);
                break;
            case JwtTokenLocationKind.Param:
                var kept = request.Query.Where(p => !string.Equals(p.Key, location.Name, StringComparison.Ordinal))
                    .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
                request.QueryString = QueryString.Create(kept);
                break;
        }
    }
}
