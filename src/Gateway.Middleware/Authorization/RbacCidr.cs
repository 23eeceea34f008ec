using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Middleware.Authorization;

/// <summary>
/// An IP block (<c>ipBlocks</c>, <c>remoteIpBlocks</c>, <c>source.ip</c>, <c>remote.ip</c>): a single address or
/// <c>address/prefix</c>, kept as bytes so matching compares bytes and allocates nothing.
/// </summary>
internal sealed class RbacCidr
{
    private readonly byte[] _network;
    private readonly int _prefixLength;

    private RbacCidr(byte[] network, int prefixLength)
    {
        _network = network;
        _prefixLength = prefixLength;
    }

    public static bool TryParse(string text, out RbacCidr? cidr, out string? error)
    {
        cidr = null;
        error = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text.AsSpan() : text.AsSpan(0, slash);
        if ((addressText.IndexOf(':') < 0 && !IsDottedQuad(addressText))
            || !IPAddress.TryParse(addressText, out var address)
            || (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6))
        {
            error = $"'{text}' is not a valid IP address or CIDR block";
            return false;
        }

        var bytes = RbacAddress.Normalize(address);
        var maxPrefix = bytes.Length * 8;
        var prefixLength = maxPrefix;
        if (slash >= 0
            && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength) || prefixLength > maxPrefix))
        {
            error = $"'{text}' is not a valid CIDR block: the prefix length must be 0 to {maxPrefix}";
            return false;
        }

        cidr = new RbacCidr(bytes, prefixLength);
        return true;
    }

    // IPAddress also accepts inet_aton forms ("10.0.0" = 10.0.0.0, "010.0.0.1" octal); Istio (Go's net.ParseIP)
    // rejects them, and a block that silently means something else is worse than an error.
    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++parts > 4 || part.IsEmpty || part.Length > 3 || (part.Length > 1 && part[0] == '0')
                || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 255)
            {
                return false;
            }
        }

        return parts == 4;
    }

    /// <summary>Whether <paramref name="address"/> (4 or 16 bytes, IPv4-mapped IPv6 already unmapped) is in the block.</summary>
    public bool Contains(ReadOnlySpan<byte> address)
    {
        if (address.Length != _network.Length)
        {
            return false;
        }

        var fullBytes = _prefixLength / 8;
        if (!address[..fullBytes].SequenceEqual(_network.AsSpan(0, fullBytes)))
        {
            return false;
        }

        var remainingBits = _prefixLength % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainingBits));
        return (address[fullBytes] & mask) == (_network[fullBytes] & mask);
    }

    public static bool ContainsAny(RbacCidr[] blocks, ReadOnlySpan<byte> address)
    {
        foreach (var block in blocks)
        {
            if (block.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
