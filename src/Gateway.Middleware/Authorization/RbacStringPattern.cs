namespace Gateway.Middleware.Authorization;

/// <summary>
/// Istio's string match for policy values: <c>*</c> (any non-empty value), <c>*suffix</c>, <c>prefix*</c>
/// or exact. A <c>*</c> anywhere else is rejected at load rather than compared literally.
/// </summary>
internal readonly struct RbacStringPattern
{
    private RbacStringPattern(RbacStringPatternKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    public RbacStringPatternKind Kind { get; }

    public string Value { get; }

    public static bool TryParse(string text, out RbacStringPattern pattern, out string? error)
    {
        pattern = default;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "value must not be empty";
            return false;
        }

        if (text == "*")
        {
            pattern = new RbacStringPattern(RbacStringPatternKind.Any, "");
            return true;
        }

        RbacStringPattern parsed;
        string rest;
        if (text[0] == '*')
        {
            rest = text[1..];
            parsed = new RbacStringPattern(RbacStringPatternKind.Suffix, rest);
        }
        else if (text[^1] == '*')
        {
            rest = text[..^1];
            parsed = new RbacStringPattern(RbacStringPatternKind.Prefix, rest);
        }
        else
        {
            rest = text;
            parsed = new RbacStringPattern(RbacStringPatternKind.Exact, text);
        }

        if (rest.Contains('*', StringComparison.Ordinal))
        {
            error = $"'{text}': '*' is only allowed alone, as a prefix or as a suffix";
            return false;
        }

        pattern = parsed;
        return true;
    }

    public bool Matches(ReadOnlySpan<char> value, StringComparison comparison = StringComparison.Ordinal) => Kind switch
    {
        RbacStringPatternKind.Any => !value.IsEmpty,
        RbacStringPatternKind.Prefix => value.StartsWith(Value, comparison),
        RbacStringPatternKind.Suffix => value.EndsWith(Value, comparison),
        _ => value.Equals(Value, comparison),
    };

    /// <summary>Whether any of <paramref name="patterns"/> matches <paramref name="value"/>.</summary>
    public static bool MatchesAny(RbacStringPattern[] patterns, ReadOnlySpan<char> value, StringComparison comparison = StringComparison.Ordinal)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.Matches(value, comparison))
            {
                return true;
            }
        }

        return false;
    }
}
