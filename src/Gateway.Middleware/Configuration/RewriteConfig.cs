namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>HTTPRewrite</c> / Gateway API <c>URLRewrite</c>.</summary>
internal sealed record RewriteConfig
{
    /// <summary>
    /// Istio <c>rewrite.uri</c>: replaces the matched prefix when the rule matched by prefix, else the whole path
    /// (Gateway API <c>ReplacePrefixMatch</c>).
    /// </summary>
    public string? PrefixReplacement { get; init; }

    /// <summary>Gateway API <c>ReplaceFullPath</c>.</summary>
    public string? FullPath { get; init; }

    /// <summary>Istio <c>uriRegexRewrite.match</c>.</summary>
    public string? RegexMatch { get; init; }

    /// <summary>Istio <c>uriRegexRewrite.rewrite</c> (<c>\1</c> capture groups).</summary>
    public string? RegexReplacement { get; init; }

    public string? Authority { get; init; }
}
