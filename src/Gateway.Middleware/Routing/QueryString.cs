using System.Net;

namespace Gateway.Middleware.Routing;

/// <summary>Matches query parameters by scanning the raw query string, without building a dictionary.</summary>
internal static class QueryString
{
    /// <summary>
    /// Whether <paramref name="query"/> (with or without its leading <c>?</c>) has a parameter named
    /// <paramref name="name"/> (case-sensitive) whose value satisfies <paramref name="match"/> (null: present).
    /// The first occurrence of the name decides, as Envoy does. A bare key (<c>?debug</c>) has the value "".
    /// </summary>
    public static bool Matches(string? query, string name, StringMatcher? match)
    {
        if (string.IsNullOrEmpty(query))
        {
            return false;
        }

        var rest = query.AsSpan();
        if (rest[0] == '?')
        {
            rest = rest[1..];
        }

        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? default : rest[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? default : pair[(eq + 1)..];
            if (!KeyEquals(key, name))
            {
                continue;
            }

            if (match is null)
            {
                return true;
            }

            return value.ContainsAny('%', '+')
                ? match.Matches(WebUtility.UrlDecode(value.ToString()))
                : match.Matches(value);
        }

        return false;
    }

    private static bool KeyEquals(ReadOnlySpan<char> key, string name)
        => key.ContainsAny('%', '+')
            ? string.Equals(WebUtility.UrlDecode(key.ToString()), name, StringComparison.Ordinal)
            : key.SequenceEqual(name);
}
