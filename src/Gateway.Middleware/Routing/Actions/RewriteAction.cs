using System.Text;
using System.Text.RegularExpressions;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>
/// A compiled rewrite (Istio <c>HTTPRewrite</c>, <c>uriRegexRewrite</c>; Gateway API <c>URLRewrite</c>): the
/// path and <c>Host</c> sent upstream. The query string is never touched; <c>X-Forwarded-Host</c> keeps the
/// client's host.
/// </summary>
internal sealed class RewriteAction
{
    private readonly string? _prefixReplacement;
    private readonly string? _fullPath;
    private readonly Regex? _regex;
    private readonly string? _regexReplacement;

    public RewriteAction(RewriteConfig config)
    {
        Config = config;
        _prefixReplacement = config.PrefixReplacement;
        _fullPath = config.FullPath;
        Authority = string.IsNullOrEmpty(config.Authority) ? null : config.Authority;
        if (config.RegexMatch is { } pattern)
        {
            _regex = CreateUnanchoredRegex(pattern);
            _regexReplacement = ToDotNetSubstitution(config.RegexReplacement ?? "");
        }

        RewritesPath = _prefixReplacement is not null || _fullPath is not null || _regex is not null;
    }

    public RewriteConfig Config { get; }

    /// <summary>The <c>Host</c> sent upstream instead of the client's (Istio <c>rewrite.authority</c>), or null.</summary>
    public string? Authority { get; }

    public bool RewritesPath { get; }

    /// <summary>
    /// The path to forward: <c>uri</c> replaces the prefix the rule matched (the whole path after an exact or
    /// regex match), a full-path rewrite replaces the whole path, and <c>uriRegexRewrite</c> substitutes every
    /// match of its pattern (Envoy <c>regex_rewrite</c>, RE2 <c>GlobalReplace</c>).
    /// </summary>
    /// <param name="path">The request path as matched (decoded, no query).</param>
    /// <param name="pathMatch">The path condition of the match that selected the request, if any.</param>
    /// <param name="gatewayApi">Whether the rule is a Gateway API rule (a missing path condition means <c>PathPrefix /</c>).</param>
    public string RewritePath(string path, StringMatcher? pathMatch, bool gatewayApi)
    {
        if (_fullPath is not null)
        {
            return _fullPath.Length == 0 || _fullPath[0] != '/' ? "/" + _fullPath : _fullPath;
        }

        if (_prefixReplacement is not null)
        {
            return PathReplacement.ReplacePrefix(path, pathMatch, gatewayApi, _prefixReplacement);
        }

        if (_regex is not null)
        {
            try
            {
                return _regex.Replace(path, _regexReplacement!);
            }
            catch (RegexMatchTimeoutException)
            {
                // As for matching: a timeout counts as no match, and an unmatched pattern leaves the path alone.
                return path;
            }
        }

        return path;
    }

    /// <summary>
    /// Istio's <c>uriRegexRewrite.match</c> is not anchored: Envoy replaces every match anywhere in the path.
    /// Same engine and timeout as route matching (linear time, like RE2).
    /// </summary>
    internal static Regex CreateUnanchoredRegex(string pattern)
        => new(
            pattern.Replace("(?P<", "(?<", StringComparison.Ordinal),
            RegexOptions.CultureInvariant | RegexOptions.NonBacktracking,
            StringMatcher.RegexTimeout);

    /// <summary>
    /// Converts an RE2 substitution (<c>\1</c> for a group, <c>\\</c> for a backslash) into .NET's
    /// (<c>${1}</c>, with a literal <c>$</c> written <c>$$</c>).
    /// </summary>
    internal static string ToDotNetSubstitution(string rewrite)
    {
        var builder = new StringBuilder(rewrite.Length + 8);
        for (var i = 0; i < rewrite.Length; i++)
        {
            var c = rewrite[i];
            if (c == '$')
            {
                builder.Append("$$");
            }
            else if (c == '\\' && i + 1 < rewrite.Length && char.IsAsciiDigit(rewrite[i + 1]))
            {
                builder.Append("${").Append(rewrite[++i]).Append('}');
            }
            else if (c == '\\' && i + 1 < rewrite.Length && rewrite[i + 1] == '\\')
            {
                builder.Append('\\');
                i++;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
