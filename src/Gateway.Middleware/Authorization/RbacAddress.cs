using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Authorization;

/// <summary>The peer (<c>source.ip</c>) and client (<c>remote.ip</c>) addresses of a request, as bytes.</summary>
internal static class RbacAddress
{
    public const int MaxLength = 16;

    /// <summary>Writes the connection's peer address; false when the connection has none.</summary>
    public static bool TryGetPeer(HttpContext context, Span<byte> destination, out int length)
        => TryWrite(context.Connection.RemoteIpAddress, destination, out length);

    /// <summary>
    /// Writes the client address: with N trusted hops, the N-th <c>X-Forwarded-For</c> entry from the right
    /// (Envoy's <c>xff_num_trusted_hops</c>); the peer with 0 hops, or when the header has fewer entries or the
    /// entry is not an address.
    /// </summary>
    public static bool TryGetRemote(HttpContext context, int trustedHops, Span<byte> destination, out int length)
    {
        if (trustedHops > 0
            && TryFindForwardedEntry(context.Request.Headers[Forwarding.ForwardedHeaders.XForwardedFor], trustedHops, out var entry)
            && IPAddress.TryParse(entry, out var address))
        {
            return TryWrite(address, destination, out length);
        }

        return TryGetPeer(context, destination, out length);
    }

    /// <summary>4 bytes for IPv4 and IPv4-mapped IPv6 addresses, 16 for IPv6.</summary>
    public static byte[] Normalize(IPAddress address)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        _ = TryWrite(address, buffer, out var length);
        return buffer[..length].ToArray();
    }

    private static bool TryWrite(IPAddress? address, Span<byte> destination, out int length)
    {
        length = 0;
        if (address is null || !address.TryWriteBytes(destination, out length))
        {
            return false;
        }

        // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; policies name them as IPv4.
        if (length == 16 && address.IsIPv4MappedToIPv6)
        {
            destination.Slice(12, 4).CopyTo(destination);
            length = 4;
        }

        return true;
    }

    private static bool TryFindForwardedEntry(StringValues values, int fromRight, out ReadOnlySpan<char> entry)
    {
        entry = default;
        var seen = 0;
        for (var v = values.Count - 1; v >= 0; v--)
        {
            var value = (values[v] ?? "").AsSpan();
            var end = value.Length;
            for (var i = value.Length - 1; i >= -1; i--)
            {
                if (i >= 0 && value[i] != ',')
                {
                    continue;
                }

                var candidate = value[(i + 1)..end].Trim();
                end = i;
                if (candidate.IsEmpty)
                {
                    continue;
                }

                if (++seen == fromRight)
                {
                    entry = candidate;
                    return true;
                }
            }
        }

        return false;
    }
}
