using System.Buffers;
using System.Text.Unicode;

namespace Gateway.Middleware.Authorization;

/// <summary>
/// Normalizes the path of a raw request target the way Envoy does for Istio's path normalization modes
/// (RFC 3986 §6.2.2 and §5.2.4, <c>merge_slashes</c>, <c>path_with_escaped_slashes_action</c>).
/// The result is in <see cref="Microsoft.AspNetCore.Http.PathString"/> form, as Kestrel fills
/// <c>HttpRequest.Path</c>: escapes decoded, except <c>%2F</c>, <c>%5C</c> and <c>%25</c>, which stay
/// encoded (uppercase hex) so that <c>PathString.ToUriComponent()</c> forwards them unchanged and a
/// client's <c>%252F</c> never becomes an encoded slash upstream.
/// </summary>
internal static class PathNormalizer
{
    private const int StackLimit = 256;

    /// <summary>
    /// Normalizes <paramref name="rawPath"/> (starting with <c>/</c>, without query or fragment). With
    /// <paramref name="always"/>, a result is produced even when the path is already normal, and
    /// <see cref="PathNormalization.None"/> produces Kestrel's own parse (escapes decoded but for
    /// <c>%2F</c>, dot-segments removed): used when Kestrel's <c>Path</c> swallowed a fragment.
    /// </summary>
    public static PathNormalizationResult Normalize(ReadOnlySpan<char> rawPath, PathNormalization mode, out string? normalized, bool always = false)
    {
        normalized = null;

        // %00 and malformed escapes are rejected in every mode, before anything else looks at the path.
        if (!Validate(rawPath, out var hasPercent))
        {
            return PathNormalizationResult.Invalid;
        }

        if (!always && (mode == PathNormalization.None || IsAlreadyNormal(rawPath, hasPercent, mode)))
        {
            return PathNormalizationResult.Unchanged;
        }

        char[]? rented = null;
        var buffer = rawPath.Length <= StackLimit
            ? stackalloc char[StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(rawPath.Length));
        try
        {
            // Envoy's order: escaped slashes, then normalize_path (decode + dot-segments), then merge_slashes.
            var length = Decode(rawPath, buffer, mode);
            length = RemoveDotSegments(buffer[..length]);
            if (mode >= PathNormalization.MergeSlashes)
            {
                length = MergeSlashes(buffer[..length]);
            }

            normalized = new string(buffer[..length]);
            return PathNormalizationResult.Normalized;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static bool Validate(ReadOnlySpan<char> path, out bool hasPercent)
    {
        hasPercent = false;
        var i = path.IndexOf('%');
        while (i >= 0)
        {
            hasPercent = true;
            if (i + 2 >= path.Length || !char.IsAsciiHexDigit(path[i + 1]) || !char.IsAsciiHexDigit(path[i + 2]))
            {
                return false;
            }

            if (path[i + 1] == '0' && path[i + 2] == '0')
            {
                return false;
            }

            var next = path[(i + 3)..].IndexOf('%');
            i = next < 0 ? -1 : i + 3 + next;
        }

        return true;
    }

    // The common case: a scan, no allocation.
    private static bool IsAlreadyNormal(ReadOnlySpan<char> path, bool hasPercent, PathNormalization mode)
    {
        if (hasPercent || path.Contains('\\'))
        {
            return false;
        }

        if (mode >= PathNormalization.MergeSlashes && path.IndexOf("//", StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        for (var i = path.IndexOf("/.", StringComparison.Ordinal); i >= 0;)
        {
            var rest = path[(i + 1)..];
            if (rest is "." or ".." || rest.StartsWith("./", StringComparison.Ordinal) || rest.StartsWith("../", StringComparison.Ordinal))
            {
                return false;
            }

            var next = rest.IndexOf("/.", StringComparison.Ordinal);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return true;
    }

    private static int Decode(ReadOnlySpan<char> path, Span<char> output, PathNormalization mode)
    {
        Span<byte> utf8 = stackalloc byte[64];
        var w = 0;
        var i = 0;
        while (i < path.Length)
        {
            var c = path[i];
            if (c == '\\' && mode != PathNormalization.None)
            {
                // Envoy's normalize_path (Chromium's URL canonicalizer) treats a backslash as a slash.
                output[w++] = '/';
                i++;
                continue;
            }

            if (c != '%')
            {
                output[w++] = c;
                i++;
                continue;
            }

            var b = HexValue(path[i + 1], path[i + 2]);
            if (b < 0x80)
            {
                if (b is '/' or '\\')
                {
                    if (mode == PathNormalization.DecodeAndMergeSlashes)
                    {
                        output[w++] = '/';
                    }
                    else
                    {
                        w = AppendEscape(output, w, b);
                    }
                }
                else if (b == '%')
                {
                    w = AppendEscape(output, w, b);
                }
                else
                {
                    output[w++] = (char)b;
                }

                i += 3;
                continue;
            }

            // A run of escaped non-ASCII bytes: decoded as UTF-8 when valid, else kept encoded.
            var start = i;
            var count = 0;
            while (i + 2 < path.Length && path[i] == '%' && count < utf8.Length)
            {
                var value = HexValue(path[i + 1], path[i + 2]);
                if (value < 0x80)
                {
                    break;
                }

                utf8[count++] = (byte)value;
                i += 3;
            }

            if (Utf8.ToUtf16(utf8[..count], output[w..], out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                w += written;
            }
            else
            {
                for (var j = start; j < i; j += 3)
                {
                    w = AppendEscape(output, w, HexValue(path[j + 1], path[j + 2]));
                }
            }
        }

        return w;
    }

    // RFC 3986 §5.2.4 on a path that starts with '/', in place.
    private static int RemoveDotSegments(Span<char> path)
    {
        var w = 0;
        var r = 0;
        while (r < path.Length)
        {
            var segmentStart = r + 1;
            var end = path[segmentStart..].IndexOf('/');
            var segmentEnd = end < 0 ? path.Length : segmentStart + end;
            var segment = path[segmentStart..segmentEnd];
            var last = segmentEnd == path.Length;
            if (segment is "." or "..")
            {
                if (segment is "..")
                {
                    w = Math.Max(0, path[..w].LastIndexOf('/'));
                }

                if (last)
                {
                    path[w++] = '/';
                }
            }
            else
            {
                path[r..segmentEnd].CopyTo(path[w..]);
                w += segmentEnd - r;
            }

            r = segmentEnd;
        }

        if (w == 0)
        {
            path[w++] = '/';
        }

        return w;
    }

    private static int MergeSlashes(Span<char> path)
    {
        var w = 0;
        for (var r = 0; r < path.Length; r++)
        {
            if (path[r] != '/' || w == 0 || path[w - 1] != '/')
            {
                path[w++] = path[r];
            }
        }

        return w;
    }

    private static int AppendEscape(Span<char> output, int w, int value)
    {
        output[w] = '%';
        output[w + 1] = ToHex(value >> 4);
        output[w + 2] = ToHex(value & 0xF);
        return w + 3;
    }

    private static char ToHex(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);

    private static int HexValue(char high, char low) => (Nibble(high) << 4) | Nibble(low);

    private static int Nibble(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
