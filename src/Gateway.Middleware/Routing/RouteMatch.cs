using Gateway.Middleware.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Routing;

/// <summary>
/// A compiled Istio <c>HTTPMatchRequest</c> (or Gateway API <c>HTTPRouteMatch</c>): every condition that is
/// set must hold. Evaluated without allocating for paths, headers with one value and query strings
/// without escapes.
/// </summary>
internal sealed class RouteMatch
{
    private readonly StringMatcher? _scheme;
    private readonly StringMatcher? _method;
    private readonly StringMatcher? _authority;
    private readonly (string Name, StringMatcher? Match)[] _headers;
    private readonly (string Name, StringMatcher? Match)[] _withoutHeaders;
    private readonly (string Name, StringMatcher? Match)[] _queryParams;
    private readonly int? _port;

    public RouteMatch(RouteMatchConfig config)
    {
        Config = config;
        Path = config.Path is null ? null : StringMatcher.Create(config.Path, config.IgnoreUriCase);
        _scheme = config.Scheme is null ? null : StringMatcher.Create(config.Scheme);
        _method = config.Method is null ? null : StringMatcher.Create(config.Method);
        _authority = config.Authority is null ? null : StringMatcher.Create(config.Authority);
        _headers = Compile(config.Headers);
        _withoutHeaders = Compile(config.WithoutHeaders);
        _queryParams = Compile(config.QueryParams);
        _port = config.Port;
    }

    public RouteMatchConfig Config { get; }

    /// <summary>The path condition, if any (prefix rewrites and redirects need the matched prefix).</summary>
    public StringMatcher? Path { get; }

    public int HeaderCount => _headers.Length;

    public int QueryParamCount => _queryParams.Length;

    public bool HasMethod => _method is not null;

    /// <summary>The path every path condition (and the route index) is evaluated against.</summary>
    public static string RequestPath(HttpRequest request) => request.Path.Value ?? "/";

    public bool Matches(HttpContext context)
    {
        var request = context.Request;
        if (Path is not null && !Path.Matches(RequestPath(request)))
        {
            return false;
        }

        if (_method is not null && !_method.Matches(request.Method))
        {
            return false;
        }

        if (_port is { } port && context.Connection.LocalPort != port)
        {
            return false;
        }

        if (_scheme is not null && !_scheme.Matches(request.Scheme))
        {
            return false;
        }

        if (_authority is not null && !_authority.Matches(request.Host.Value ?? ""))
        {
            return false;
        }

        foreach (var (name, match) in _headers)
        {
            if (!HeaderMatches(context, name, match))
            {
                return false;
            }
        }

        foreach (var (name, match) in _withoutHeaders)
        {
            if (HeaderMatches(context, name, match))
            {
                return false;
            }
        }

        if (_queryParams.Length > 0)
        {
            var query = request.QueryString.Value;
            foreach (var (name, match) in _queryParams)
            {
                if (!QueryString.Matches(query, name, match))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool HeaderMatches(HttpContext context, string name, StringMatcher? match)
    {
        // Istio routes on validated JWT claims with "@request.auth.claims.<name>", never on a client header.
        if (RouteClaimMatch.IsClaim(name))
        {
            return RouteClaimMatch.Matches(context, name, match);
        }

        var headers = context.Request.Headers;
        if (!headers.TryGetValue(name, out var values) || values.Count == 0)
        {
            return false;
        }

        if (match is null)
        {
            return true;
        }

        // Envoy matches a header sent several times against its values joined with ','.
        return values.Count == 1 ? match.Matches(values[0]) : match.Matches(string.Join(',', (string?[])values!));
    }

    private static (string, StringMatcher?)[] Compile(IReadOnlyList<NamedMatchConfig> matches)
    {
        var compiled = new (string, StringMatcher?)[matches.Count];
        for (var i = 0; i < compiled.Length; i++)
        {
            compiled[i] = (matches[i].Name, matches[i].Match is null ? null : StringMatcher.Create(matches[i].Match!));
        }

        return compiled;
    }
}
