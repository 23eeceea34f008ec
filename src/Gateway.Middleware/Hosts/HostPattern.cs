namespace Gateway.Middleware.Hosts;

/// <summary>
/// A host as Istio writes it in <c>Gateway.servers[].hosts</c> and <c>VirtualService.hosts</c>: an exact
/// name, a <c>*.suffix</c> wildcard matching one or more labels (never the apex), or <c>*</c>.
/// Comparison is case-insensitive.
/// </summary>
internal readonly struct HostPattern : IEquatable<HostPattern>
{
    private HostPattern(HostPatternKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    public HostPatternKind Kind { get; }

    /// <summary>The exact host, or the suffix including its leading dot (<c>.example.com</c>), lower-case.</summary>
    public string Value { get; }

    public static bool TryParse(string text, out HostPattern pattern, out string? error)
    {
        pattern = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "host must not be empty";
            return false;
        }

        if (text == "*")
        {
            pattern = new HostPattern(HostPatternKind.Any, "*");
            return true;
        }

        var lower = text.ToLowerInvariant();
        if (lower.StartsWith("*.", StringComparison.Ordinal))
        {
            var suffix = lower[1..];
            if (suffix.Length < 2 || suffix.Contains('*', StringComparison.Ordinal) || !IsValidName(suffix.AsSpan(1)))
            {
                error = $"'{text}' is not a valid wildcard host: only a leading '*.' is allowed";
                return false;
            }

            pattern = new HostPattern(HostPatternKind.Suffix, suffix);
            return true;
        }

        if (lower[0] != '[' && lower.Contains(':', StringComparison.Ordinal))
        {
            // The request's port is ignored when matching, so a pattern with a port could never match.
            error = $"'{text}' is not a valid host: a host has no port";
            return false;
        }

        if (!IsValidName(lower))
        {
            error = $"'{text}' is not a valid host name";
            return false;
        }

        pattern = new HostPattern(HostPatternKind.Exact, lower);
        return true;
    }

    /// <summary>
    /// The hosts both patterns accept, as a pattern: the more specific of the two when one covers the other
    /// (a route host <c>*</c> on a server <c>*.example.com</c> serves <c>*.example.com</c>), none otherwise.
    /// </summary>
    public static bool TryIntersect(HostPattern a, HostPattern b, out HostPattern intersection)
    {
        if (b.Covers(a))
        {
            intersection = a;
            return true;
        }

        if (a.Covers(b))
        {
            intersection = b;
            return true;
        }

        intersection = default;
        return false;
    }

    /// <summary>Whether every host <paramref name="other"/> accepts is accepted by this pattern.</summary>
    public bool Covers(HostPattern other) => Kind switch
    {
        HostPatternKind.Any => true,
        HostPatternKind.Exact => other.Kind == HostPatternKind.Exact && string.Equals(Value, other.Value, StringComparison.Ordinal),
        _ => other.Kind switch
        {
            HostPatternKind.Any => false,
            HostPatternKind.Exact => Matches(other.Value),
            // "*.a.example.com" (".a.example.com") is covered by "*.example.com" (".example.com").
            _ => other.Value.EndsWith(Value, StringComparison.Ordinal),
        },
    };

    /// <summary>Whether <paramref name="host"/> (already stripped of its port) matches this pattern.</summary>
    public bool Matches(ReadOnlySpan<char> host) => Kind switch
    {
        HostPatternKind.Any => true,
        HostPatternKind.Exact => host.Equals(Value, StringComparison.OrdinalIgnoreCase),
        // ".example.com" must be preceded by at least one label: "a.example.com" yes, "example.com" no.
        _ => host.Length > Value.Length && host.EndsWith(Value, StringComparison.OrdinalIgnoreCase),
    };

    public bool Equals(HostPattern other) => Kind == other.Kind && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is HostPattern other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, Value);

    public override string ToString() => Kind switch
    {
        HostPatternKind.Any => "*",
        HostPatternKind.Suffix => "*" + Value,
        _ => Value,
    };

    private static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > 253 || name[0] == '.' || name[^1] == '.')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':' or '[' or ']'))
            {
                return false;
            }
        }

        return true;
    }
}
