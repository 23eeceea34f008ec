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
        // Indexed: a foreach over the interface would box the list's enumerator on every request.
        for (var i = 0; i < locations.Count; i++)
        {
            var candidate = locations[i];
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

    /// <summary>
    /// Removes the token before forwarding. A token cookie is cut out of the <c>Cookie</c> header and the other
    /// cookies are kept (stricter than Envoy, which leaves cookie tokens in place: DESIGN.md says the token
    /// is removed).
    /// </summary>
    public static void Remove(HttpRequest request, JwtTokenLocation location)
    {
        switch (location.Kind)
        {
            case JwtTokenLocationKind.Header:
                request.Headers.Remove(location.Name);
                break;
            case JwtTokenLocationKind.Param:
                var kept = new List<KeyValuePair<string, string?>>();
                foreach (var (key, values) in request.Query)
                {
                    if (!string.Equals(key, location.Name, StringComparison.Ordinal))
                    {
                        foreach (var value in values)
                        {
                            kept.Add(new(key, value));
                        }
                    }
                }

                request.QueryString = QueryString.Create(kept);
                break;
            case JwtTokenLocationKind.Cookie:
                RemoveCookie(request.Headers, location.Name);
                break;
        }
    }

    private static void RemoveCookie(IHeaderDictionary headers, string name)
    {
        var kept = new List<string>();
        foreach (var header in headers.Cookie)
        {
            foreach (var part in (header ?? "").Split(';'))
            {
                var cookie = part.Trim();
                var eq = cookie.IndexOf('=', StringComparison.Ordinal);
                var cookieName = (eq < 0 ? cookie : cookie[..eq]).Trim();
                if (cookie.Length > 0 && !string.Equals(cookieName, name, StringComparison.Ordinal))
                {
                    kept.Add(cookie);
                }
            }
        }

        if (kept.Count == 0)
        {
            headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.Cookie);
        }
        else
        {
            headers.Cookie = string.Join("; ", kept);
        }
    }
}
