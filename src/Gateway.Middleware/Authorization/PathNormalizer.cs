using System.Buffers;

namespace Gateway.Middleware.Authorization;

/// <summary>
/// Normalizes the path of a raw request target the way Envoy does for Istio's path normalization modes
/// (RFC 3986 §6.2.2 and §5.2.4, <c>merge_slashes</c>, <c>path_with_escaped_slashes_action</c>).
/// The result is in <see cref="Microsoft.AspNetCore.Http.PathString"/> form, as Kestrel fills
/// <c>HttpRequest.Path</c>: escapes decoded, except <c>%2F</c>, <c>%5C</c> and <c>%25</c>, which stay
/// encoded (uppercase hex) so that <c>PathString.ToUriComponent()</c> forwards them unchanged and a
/// client's <c>%252F</c> never becomes an encoded slash upstream.
/// </summary>
internal static partial class PathNormalizer
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
}
