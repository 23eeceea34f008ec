using System.Collections.Frozen;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// Headers that describe one connection, not the message (RFC 9110 §7.6.1), and must not be forwarded.
/// </summary>
internal static class HopByHopHeaders
{
    private static readonly FrozenSet<string> Names = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        HeaderNames.Connection,
        HeaderNames.KeepAlive,
        "Proxy-Connection",
        HeaderNames.ProxyAuthorization,
        HeaderNames.ProxyAuthenticate,
        HeaderNames.TE,
        HeaderNames.Trailer,
        HeaderNames.TransferEncoding,
        HeaderNames.Upgrade);

    public static bool IsHopByHop(string name) => Names.Contains(name);

    /// <summary>
    /// Whether <paramref name="name"/> is listed as a token of the <c>Connection</c> header, which makes it
    /// hop-by-hop too (RFC 9110 §7.6.1). Scans without allocating.
    /// </summary>
    public static bool IsNamedInConnection(StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            if (value is not null && ContainsToken(value, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a comma-separated header value contains <paramref name="token"/> (case-insensitive).</summary>
    public static bool ContainsToken(ReadOnlySpan<char> value, ReadOnlySpan<char> token)
    {
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf(',');
            var item = (comma < 0 ? value : value[..comma]).Trim(" \t");
            if (item.Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (comma < 0)
            {
                break;
            }

            value = value[(comma + 1)..];
        }

        return false;
    }
}
