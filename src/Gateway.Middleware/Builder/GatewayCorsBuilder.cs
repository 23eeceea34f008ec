using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>Declares a CORS policy (Istio <c>CorsPolicy</c>).</summary>
public sealed class GatewayCorsBuilder
{
    private readonly List<StringMatchConfig> _origins = [];
    private readonly List<string> _methods = [];
    private readonly List<string> _headers = [];
    private readonly List<string> _expose = [];
    private readonly List<string> _errors = [];
    private TimeSpan? _maxAge;
    private bool _credentials;
    private bool _forwardUnmatched = true;

    internal GatewayCorsBuilder()
    {
    }

    /// <summary>Allows an origin: give one of <paramref name="exact"/>, <paramref name="prefix"/> or <paramref name="regex"/>.</summary>
    public GatewayCorsBuilder AllowOrigin(string? exact = null, string? prefix = null, string? regex = null)
    {
        var count = (exact is null ? 0 : 1) + (prefix is null ? 0 : 1) + (regex is null ? 0 : 1);
        if (count != 1)
        {
            _errors.Add("corsPolicy.allowOrigins: give one of exact, prefix or regex");
            return this;
        }

        _origins.Add(exact is not null ? new StringMatchConfig(StringMatchKind.Exact, exact)
            : prefix is not null ? new StringMatchConfig(StringMatchKind.Prefix, prefix)
            : new StringMatchConfig(StringMatchKind.Regex, regex!));
        return this;
    }

    /// <summary>Methods allowed by preflights (<c>Access-Control-Allow-Methods</c>).</summary>
    public GatewayCorsBuilder AllowMethods(params string[] methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        _methods.AddRange(methods);
        return this;
    }

    /// <summary>Request headers allowed by preflights (<c>Access-Control-Allow-Headers</c>).</summary>
    public GatewayCorsBuilder AllowHeaders(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers.AddRange(headers);
        return this;
    }

    /// <summary>Response headers the browser may read (<c>Access-Control-Expose-Headers</c>).</summary>
    public GatewayCorsBuilder ExposeHeaders(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _expose.AddRange(headers);
        return this;
    }

    /// <summary>How long a preflight may be cached (<c>Access-Control-Max-Age</c>).</summary>
    public GatewayCorsBuilder MaxAge(TimeSpan maxAge)
    {
        _maxAge = maxAge;
        return this;
    }

    /// <summary>Whether credentials are allowed (<c>Access-Control-Allow-Credentials: true</c>).</summary>
    public GatewayCorsBuilder AllowCredentials(bool allow = true)
    {
        _credentials = allow;
        return this;
    }

    /// <summary>
    /// What to do with a preflight whose origin is not allowed (Istio <c>unmatchedPreflights</c>):
    /// forward it upstream (<see langword="true"/>, the default) or answer it without CORS headers.
    /// </summary>
    public GatewayCorsBuilder ForwardUnmatchedPreflights(bool forward = true)
    {
        _forwardUnmatched = forward;
        return this;
    }

    internal IReadOnlyList<string> Errors => _errors;

    internal CorsConfig Build() => new()
    {
        AllowOrigins = [.. _origins],
        AllowMethods = [.. _methods],
        AllowHeaders = [.. _headers],
        ExposeHeaders = [.. _expose],
        MaxAge = _maxAge,
        AllowCredentials = _credentials,
        ForwardUnmatchedPreflights = _forwardUnmatched,
    };
}
