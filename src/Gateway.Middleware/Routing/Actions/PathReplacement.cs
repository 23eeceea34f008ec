using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>
/// Replaces the part of a path that a rule's path condition matched, for prefix rewrites (Istio
/// <c>rewrite.uri</c>, Gateway API <c>ReplacePrefixMatch</c>) and prefix redirects.
/// </summary>
internal static class PathReplacement
{
    /// <summary>
    /// Replaces the matched prefix of <paramref name="path"/> with <paramref name="replacement"/>; with an exact
    /// or regex path condition, or none, the whole path is replaced.
    /// </summary>
    /// <param name="path">The request path (as matched: decoded, without the query).</param>
    /// <param name="pathMatch">The path condition of the match that selected the request, if any.</param>
    /// <param name="gatewayApi">
    /// A Gateway API rule: a match without a path condition is <c>PathPrefix /</c> (the spec's default), so
    /// the replacement goes in front of the whole path.
    /// </param>
    /// <param name="replacement">The new prefix.</param>
    public static string ReplacePrefix(string path, StringMatcher? pathMatch, bool gatewayApi, string replacement)
    {
        switch (pathMatch?.Kind)
        {
            case StringMatchKind.SegmentPrefix:
                // StringMatcher keeps "/" for the root prefix and trims every other prefix's trailing '/'.
                return ReplaceSegmentPrefix(path, pathMatch.Value.Length == 1 ? 0 : pathMatch.Value.Length, replacement);
            case StringMatchKind.Prefix:
                return ReplacePlainPrefix(path, pathMatch.Value.Length, replacement);
            case null when gatewayApi:
                return ReplaceSegmentPrefix(path, 0, replacement);
            default:
                return EnsureRooted(replacement);
        }
    }

    /// <summary>
    /// Gateway API <c>ReplacePrefixMatch</c> (HTTPPathModifier): segment-wise, so a trailing <c>/</c> on either
    /// side never doubles or drops a separator — <c>/foo</c>→<c>/xyz/</c> turns <c>/foo/bar</c> into
    /// <c>/xyz/bar</c>, and <c>/foo</c>→<c>/</c> turns <c>/foo/bar</c> into <c>/bar</c> (the spec's table).
    /// </summary>
    private static string ReplaceSegmentPrefix(string path, int prefixLength, string replacement)
    {
        // The rest starts at a segment boundary: empty or "/…". The root prefix matches all of "/".
        var rest = prefixLength == 0 && path == "/" ? [] : path.AsSpan(Math.Min(prefixLength, path.Length));
        var head = replacement.AsSpan().TrimEnd('/');
        if (head.IsEmpty)
        {
            return rest.IsEmpty ? "/" : rest.ToString();
        }

        return EnsureRooted(string.Concat(head, rest));
    }

    /// <summary>
    /// Istio <c>rewrite.uri</c> after a plain prefix match (Envoy <c>prefix_rewrite</c>): the prefix is swapped
    /// character for character. Unlike Envoy, a replacement ending in <c>/</c> followed by a rest starting with
    /// <c>/</c> yields one slash, not <c>//</c> (DESIGN.md merges slashes; no service expects the double).
    /// </summary>
    private static string ReplacePlainPrefix(string path, int prefixLength, string replacement)
    {
        var rest = path.AsSpan(Math.Min(prefixLength, path.Length));
        if (replacement.EndsWith('/') && rest.StartsWith('/'))
        {
            rest = rest[1..];
        }

        return EnsureRooted(string.Concat(replacement.AsSpan(), rest));
    }

    private static string EnsureRooted(string path)
        => path.Length == 0 ? "/" : path[0] == '/' ? path : "/" + path;
}
