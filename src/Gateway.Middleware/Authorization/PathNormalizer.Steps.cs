using System.Buffers;
using System.Text.Unicode;

namespace Gateway.Middleware.Authorization;

/// <summary>The steps of <see cref="PathNormalizer.Normalize"/>, each working in place on a char buffer.</summary>
internal static partial class PathNormalizer
{
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
