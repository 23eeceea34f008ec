namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>HTTPRedirect</c> / Gateway API <c>RequestRedirect</c>. Unset parts keep the request's value.</summary>
internal sealed record RedirectConfig
{
    /// <summary>Replaces the whole path (Istio <c>uri</c>, Gateway API <c>ReplaceFullPath</c>).</summary>
    public string? Path { get; init; }

    /// <summary>Replaces only the matched prefix (Gateway API <c>ReplacePrefixMatch</c>).</summary>
    public string? PrefixReplacement { get; init; }

    public string? Authority { get; init; }

    public string? Scheme { get; init; }

    public int? Port { get; init; }

    /// <summary>Status code; Istio's default 301, the Gateway API's 302 (set by the front door).</summary>
    public int Code { get; init; } = 301;
}
