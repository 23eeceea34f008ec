using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Matching;

/// <summary>
/// Where a match sits in the path index: under the literal its path must start with (or equal), or in the
/// list checked for every request (no path, regex, the Gateway API's <c>/</c> prefix). The key only selects
/// candidates; the full match still decides, so a shorter key is always safe.
/// </summary>
internal readonly record struct PathKey(PathKeyKind Kind, string Literal)
{
    public static PathKey Always { get; } = new(PathKeyKind.Always, "");

    public static PathKey For(RouteMatch match, bool foldCase)
    {
        var path = match.Path;
        if (path is null)
        {
            return Always;
        }

        var kind = path.Kind switch
        {
            StringMatchKind.Exact => PathKeyKind.Exact,
            StringMatchKind.Prefix => PathKeyKind.Prefix,
            // "/" as a segment prefix matches every path, even one not starting with '/'.
            StringMatchKind.SegmentPrefix when path.Value.Length > 1 => PathKeyKind.Prefix,
            _ => PathKeyKind.Always,
        };
        if (kind == PathKeyKind.Always)
        {
            return Always;
        }

        var literal = path.Value;
        if (path.IgnoreCase)
        {
            // OrdinalIgnoreCase equates non-ASCII letters with each other but never with an ASCII one, so
            // folding ASCII only is exact up to the first non-ASCII char; the index stops there.
            var end = literal.AsSpan().IndexOfAnyExceptInRange((char)0, (char)127);
            if (end >= 0)
            {
                literal = literal[..end];
                kind = PathKeyKind.Prefix;
            }
        }

        if (literal.Length == 0)
        {
            return Always;
        }

        return new PathKey(kind, foldCase ? Fold(literal) : literal);
    }

    /// <summary>ASCII upper-casing; every other char is kept (see <see cref="For"/>).</summary>
    public static char Fold(char c) => char.IsAsciiLetterLower(c) ? (char)(c - ('a' - 'A')) : c;

    private static string Fold(string value)
    {
        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Fold(source[i]);
            }
        });
    }
}
