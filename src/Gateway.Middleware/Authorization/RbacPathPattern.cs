namespace Gateway.Middleware.Authorization;

/// <summary>
/// A <c>paths</c> value: Istio's exact, <c>prefix*</c>, <c>*suffix</c> or <c>*</c>, or, when it contains
/// <c>{*}</c> or <c>{**}</c>, an Envoy URI template where <c>{*}</c> is exactly one non-empty segment and
/// <c>{**}</c> (last only) is the rest of the path, possibly empty. Comparison is case-sensitive.
/// </summary>
internal sealed class RbacPathPattern
{
    private const string OneSegment = "{*}";
    private const string AnySegments = "{**}";

    private readonly RbacStringPattern _simple;
    private readonly string[]? _segments;

    private RbacPathPattern(RbacStringPattern simple, string[]? segments)
    {
        _simple = simple;
        _segments = segments;
    }

    public static bool TryParse(string text, out RbacPathPattern? pattern, out string? error)
    {
        pattern = null;
        if (!text.Contains('{', StringComparison.Ordinal) && !text.Contains('}', StringComparison.Ordinal))
        {
            if (!RbacStringPattern.TryParse(text, out var simple, out error))
            {
                return false;
            }

            pattern = new RbacPathPattern(simple, null);
            return true;
        }

        error = null;
        if (text[0] != '/')
        {
            error = $"'{text}' is not a valid path template: it must start with '/'";
            return false;
        }

        var segments = text[1..].Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment == AnySegments)
            {
                if (i != segments.Length - 1)
                {
                    error = $"'{text}' is not a valid path template: '{{**}}' must be the last segment";
                    return false;
                }
            }
            else if (segment != OneSegment && (segment.Contains('{', StringComparison.Ordinal) || segment.Contains('}', StringComparison.Ordinal) || segment.Contains('*', StringComparison.Ordinal)))
            {
                error = $"'{text}' is not a valid path template: '{{*}}' and '{{**}}' must be whole segments";
                return false;
            }
        }

        pattern = new RbacPathPattern(default, segments);
        return true;
    }

    public bool Matches(ReadOnlySpan<char> path)
    {
        if (_segments is null)
        {
            return _simple.Matches(path);
        }

        if (path.IsEmpty || path[0] != '/')
        {
            return false;
        }

        var rest = path[1..];
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            if (segment == AnySegments)
            {
                return true;
            }

            var slash = rest.IndexOf('/');
            var current = slash < 0 ? rest : rest[..slash];
            var matched = segment == OneSegment ? !current.IsEmpty : current.SequenceEqual(segment);
            if (!matched)
            {
                return false;
            }

            var last = i == _segments.Length - 1;
            if (last)
            {
                return slash < 0;
            }

            if (slash < 0)
            {
                // The path ends before the template does; only a trailing "{**}" may match nothing more.
                return false;
            }

            rest = rest[(slash + 1)..];
        }

        return false;
    }
}
