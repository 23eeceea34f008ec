using System.Text.RegularExpressions;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing;

/// <summary>
/// A compiled Istio <c>StringMatch</c>. Regular expressions are RE2-style: they must match the whole
/// value (Istio anchors them), run on .NET's non-backtracking engine (linear time, like RE2) and with a
/// timeout; a timeout counts as no match.
/// </summary>
internal sealed class StringMatcher
{
    /// <summary>
    /// Generous for a linear-time engine on inputs Kestrel has already bounded: only pathological inputs get near it.
    /// The timeout is wall-clock time, so it must also outlast a thread that the OS does not schedule for a while on a
    /// saturated machine (100 ms did not: a match then failed as a spurious 404).
    /// </summary>
    internal static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private readonly StringComparison _comparison;
    private readonly Regex? _regex;

    private StringMatcher(StringMatchKind kind, string value, bool ignoreCase, Regex? regex)
    {
        Kind = kind;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        _regex = regex;
        // Gateway API: "/v2/" and "/v2" are the same segment prefix.
        Value = kind == StringMatchKind.SegmentPrefix && value.Length > 1 ? value.TrimEnd('/') : value;
        if (Value.Length == 0 && kind == StringMatchKind.SegmentPrefix)
        {
            Value = "/";
        }
    }

    public StringMatchKind Kind { get; }

    public string Value { get; }

    /// <summary>Whether exact and prefix comparisons ignore case (Istio <c>ignoreUriCase</c>).</summary>
    public bool IgnoreCase => _comparison == StringComparison.OrdinalIgnoreCase;

    /// <summary>Compiles <paramref name="config"/>; throws <see cref="ArgumentException"/> for an invalid regex.</summary>
    public static StringMatcher Create(StringMatchConfig config, bool ignoreCase = false)
        => Create(config, ignoreCase, RegexTimeout);

    /// <summary>As <see cref="Create(StringMatchConfig, bool)"/> with another regex timeout (tests of the timeout path).</summary>
    internal static StringMatcher Create(StringMatchConfig config, bool ignoreCase, TimeSpan regexTimeout)
    {
        Regex? regex = null;
        if (config.Kind == StringMatchKind.Regex)
        {
            regex = CreateRegex(config.Value, regexTimeout);
        }

        return new StringMatcher(config.Kind, config.Value, ignoreCase && config.Kind != StringMatchKind.Regex, regex);
    }

    /// <summary>Builds the anchored regex for an RE2 pattern; throws <see cref="ArgumentException"/> when invalid.</summary>
    public static Regex CreateRegex(string pattern) => CreateRegex(pattern, RegexTimeout);

    private static Regex CreateRegex(string pattern, TimeSpan timeout)
    {
        // RE2 writes named groups (?P<name>...); .NET writes (?<name>...).
        var translated = pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);
        var regex = new Regex(
            @"\A(?:" + translated + @")\z",
            RegexOptions.CultureInvariant | RegexOptions.NonBacktracking,
            timeout);

        // The engine builds its automaton lazily: a first match here, at compile time, keeps that cost (milliseconds
        // for a large pattern) off the first request that needs it.
        _ = regex.IsMatch("");
        return regex;
    }

    /// <summary>Validates an RE2 pattern; returns the reason it is invalid, or null.</summary>
    public static string? ValidateRegex(string pattern)
    {
        try
        {
            // The pattern alone first: an error in it is then described with the user's text and offsets,
            // not those of the anchored form CreateRegex wraps it in.
            _ = new Regex(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            _ = CreateRegex(pattern);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
        catch (NotSupportedException ex)
        {
            // Backreferences and lookarounds: RE2 has none either.
            return ex.Message;
        }
    }

    public bool Matches(ReadOnlySpan<char> input)
    {
        switch (Kind)
        {
            case StringMatchKind.Exact:
                return input.Equals(Value, _comparison);
            case StringMatchKind.Prefix:
                return input.StartsWith(Value, _comparison);
            case StringMatchKind.SegmentPrefix:
                return MatchesSegmentPrefix(input);
            default:
                try
                {
                    return _regex!.IsMatch(input);
                }
                catch (RegexMatchTimeoutException)
                {
                    return false;
                }
        }
    }

    private bool MatchesSegmentPrefix(ReadOnlySpan<char> path)
    {
        var prefix = Value;
        if (prefix.Length == 1)
        {
            return true;
        }

        // The prefix must end at a segment boundary of the path: "/v2" matches "/v2" and "/v2/x", not "/v2x".
        return path.StartsWith(prefix, _comparison) && (path.Length == prefix.Length || path[prefix.Length] == '/');
    }
}
