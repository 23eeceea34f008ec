using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares one match (an Istio <c>HTTPMatchRequest</c>); every condition set must hold. For string
/// conditions give exactly one of <c>exact</c>, <c>prefix</c> or <c>regex</c>, as in Istio's
/// <c>StringMatch</c>; regular expressions must match the whole value (Istio anchors them).
/// </summary>
public sealed class GatewayMatchBuilder
{
    private readonly List<NamedMatchConfig> _headers = [];
    private readonly List<NamedMatchConfig> _withoutHeaders = [];
    private readonly List<NamedMatchConfig> _queryParams = [];
    private readonly List<string> _errors = [];
    private readonly bool _segmentPrefix;
    private StringMatchConfig? _path;
    private StringMatchConfig? _scheme;
    private StringMatchConfig? _method;
    private StringMatchConfig? _authority;
    private bool _ignoreUriCase;
    private int? _port;

    internal GatewayMatchBuilder(bool segmentPrefix = false)
    {
        _segmentPrefix = segmentPrefix;
    }

    /// <summary>
    /// Matches paths starting with <paramref name="prefix"/>. In an Istio route (<c>AddRoute</c>) this is a
    /// plain string prefix (<c>/v2</c> also matches <c>/v2example</c>); in a Gateway API route
    /// (<c>AddHttpRoute</c>) it matches whole segments (<c>/v2</c> matches <c>/v2</c> and <c>/v2/x</c> only).
    /// </summary>
    public GatewayMatchBuilder PathPrefix(string prefix)
        => SetPath(new StringMatchConfig(_segmentPrefix ? StringMatchKind.SegmentPrefix : StringMatchKind.Prefix, Required(prefix)));

    /// <summary>Matches exactly this path (Istio <c>uri.exact</c>, Gateway API <c>Exact</c>).</summary>
    public GatewayMatchBuilder PathExact(string path) => SetPath(new StringMatchConfig(StringMatchKind.Exact, Required(path)));

    /// <summary>Matches paths the regular expression matches in full (Istio <c>uri.regex</c>).</summary>
    public GatewayMatchBuilder PathRegex(string pattern) => SetPath(new StringMatchConfig(StringMatchKind.Regex, Required(pattern)));

    /// <summary>Exact and prefix path matches ignore case (Istio <c>ignoreUriCase</c>).</summary>
    public GatewayMatchBuilder IgnoreUriCase(bool ignore = true)
    {
        _ignoreUriCase = ignore;
        return this;
    }

    /// <summary>Matches the request's scheme (<c>http</c> or <c>https</c>).</summary>
    public GatewayMatchBuilder Scheme(string? exact = null, string? prefix = null, string? regex = null)
    {
        _scheme = StringMatch("scheme", exact, prefix, regex, allowPresence: false);
        return this;
    }

    /// <summary>Matches the request's method (case-sensitive, as Istio).</summary>
    public GatewayMatchBuilder Method(string? exact = null, string? prefix = null, string? regex = null)
    {
        _method = StringMatch("method", exact, prefix, regex, allowPresence: false);
        return this;
    }

    /// <summary>Matches the request's <c>Host</c>/<c>:authority</c> as sent, port included.</summary>
    public GatewayMatchBuilder Authority(string? exact = null, string? prefix = null, string? regex = null)
    {
        _authority = StringMatch("authority", exact, prefix, regex, allowPresence: false);
        return this;
    }

    /// <summary>
    /// Matches a header (name case-insensitive, value case-sensitive). With no value condition the header
    /// only has to be present (Istio's <c>{}</c>).
    /// </summary>
    public GatewayMatchBuilder Header(string name, string? exact = null, string? prefix = null, string? regex = null)
    {
        _headers.Add(new NamedMatchConfig(Required(name), StringMatch($"headers.{name}", exact, prefix, regex, allowPresence: true)));
        return this;
    }

    /// <summary>Istio <c>withoutHeaders</c>: the match fails if this header condition holds.</summary>
    public GatewayMatchBuilder WithoutHeader(string name, string? exact = null, string? prefix = null, string? regex = null)
    {
        _withoutHeaders.Add(new NamedMatchConfig(Required(name), StringMatch($"withoutHeaders.{name}", exact, prefix, regex, allowPresence: true)));
        return this;
    }

    /// <summary>
    /// Matches a query parameter (name case-sensitive). With no value condition the parameter only has to
    /// be present; <c>exact: ""</c> matches a bare key (<c>?debug</c>) as Istio does.
    /// </summary>
    public GatewayMatchBuilder QueryParam(string name, string? exact = null, string? prefix = null, string? regex = null)
    {
        _queryParams.Add(new NamedMatchConfig(Required(name), StringMatch($"queryParams.{name}", exact, prefix, regex, allowPresence: true)));
        return this;
    }

    /// <summary>Matches the local port the request arrived on.</summary>
    public GatewayMatchBuilder Port(int port)
    {
        _port = port;
        return this;
    }

    internal RouteMatchConfig Build() => new()
    {
        Path = _path,
        IgnoreUriCase = _ignoreUriCase,
        Scheme = _scheme,
        Method = _method,
        Authority = _authority,
        Headers = [.. _headers],
        WithoutHeaders = [.. _withoutHeaders],
        QueryParams = [.. _queryParams],
        Port = _port,
    };

    /// <summary>Problems found while declaring (two value conditions at once, two paths); reported at validation.</summary>
    internal IReadOnlyList<string> Errors => _errors;

    private GatewayMatchBuilder SetPath(StringMatchConfig path)
    {
        if (_path is not null)
        {
            _errors.Add($"uri: a match has one path condition, got '{_path.Value}' and '{path.Value}' (use another Match(...) for an alternative)");
        }

        _path = path;
        return this;
    }

    private StringMatchConfig? StringMatch(string field, string? exact, string? prefix, string? regex, bool allowPresence)
    {
        var count = (exact is null ? 0 : 1) + (prefix is null ? 0 : 1) + (regex is null ? 0 : 1);
        if (count > 1)
        {
            _errors.Add($"{field}: give one of exact, prefix or regex");
        }
        else if (count == 0 && !allowPresence)
        {
            _errors.Add($"{field}: give one of exact, prefix or regex");
        }

        return exact is not null ? new StringMatchConfig(StringMatchKind.Exact, exact)
            : prefix is not null ? new StringMatchConfig(StringMatchKind.Prefix, prefix)
            : regex is not null ? new StringMatchConfig(StringMatchKind.Regex, regex)
            : null;
    }

    private static string Required(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }
}
