using System.Globalization;
using Gateway.Middleware.Configuration;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>
/// A compiled redirect (Istio <c>HTTPRedirect</c>, Gateway API <c>RequestRedirect</c>): the <c>Location</c> is
/// the request's URL with the configured parts replaced (Envoy <c>RedirectAction</c>).
/// </summary>
internal sealed class RedirectAction
{
    private readonly string? _path;
    private readonly string? _query;
    private readonly string? _prefixReplacement;
    private readonly string? _scheme;
    private readonly string? _authorityHost;
    private readonly int? _authorityPort;
    private readonly int? _port;

    public RedirectAction(RedirectConfig config)
    {
        Config = config;
        Code = config.Code;
        _prefixReplacement = config.PrefixReplacement;
        _scheme = string.IsNullOrEmpty(config.Scheme) ? null : config.Scheme.ToLowerInvariant();
        _port = config.Port;
        if (config.Path is { } path)
        {
            // Envoy path_redirect: a '?' in it replaces the query; otherwise the request's query is kept.
            var question = path.IndexOf('?', StringComparison.Ordinal);
            _path = question < 0 ? path : path[..question];
            _query = question < 0 ? null : path[question..];
            if (_path.Length == 0 || _path[0] != '/')
            {
                _path = "/" + _path;
            }
        }

        if (!string.IsNullOrEmpty(config.Authority))
        {
            var authority = new HostString(config.Authority);
            _authorityHost = authority.Host;
            _authorityPort = authority.Port;
        }
    }

    public RedirectConfig Config { get; }

    /// <summary>301, 302, 303, 307 or 308.</summary>
    public int Code { get; }

    /// <summary>
    /// Builds the <c>Location</c> for <paramref name="request"/>: scheme, host and port, path and query, each
    /// replaced when configured.
    /// </summary>
    /// <param name="request">The client's request.</param>
    /// <param name="requestScheme">The scheme the client used (its trusted <c>X-Forwarded-Proto</c> when behind proxies).</param>
    /// <param name="pathMatch">The path condition of the match that selected the request, for prefix replacement.</param>
    /// <param name="gatewayApi">Whether the rule is a Gateway API rule.</param>
    /// <remarks>
    /// Port rules (Envoy <c>processRequestHost</c>, Gateway API <c>HTTPRequestRedirectFilter.port</c>): a
    /// configured port wins; a replaced authority brings only its own port; a changed scheme drops the
    /// request's port; the default port of the final scheme (80 for http, 443 for https) is never written.
    /// </remarks>
    public string BuildLocation(HttpRequest request, string requestScheme, StringMatcher? pathMatch, bool gatewayApi)
    {
        var scheme = _scheme ?? requestScheme;
        string host;
        int? port;
        if (_authorityHost is not null)
        {
            host = _authorityHost;
            port = _port ?? _authorityPort;
        }
        else
        {
            host = request.Host.Host;
            var schemeChanged = _scheme is not null && !string.Equals(_scheme, requestScheme, StringComparison.OrdinalIgnoreCase);
            port = _port ?? (schemeChanged ? null : request.Host.Port);
        }

        if (port == DefaultPort(scheme))
        {
            port = null;
        }

        var path = BuildPath(request, pathMatch, gatewayApi);
        var query = _query ?? request.QueryString.Value ?? "";
        if (string.IsNullOrEmpty(host))
        {
            // No Host (HTTP/1.0): a path-absolute reference, which must never start with "//" — a browser
            // would read the first segment as another host (an open redirect).
            return string.Concat("/", path.AsSpan().TrimStart('/'), query);
        }

        return port is { } p
            ? string.Concat(scheme, "://", host, ":", p.ToString(CultureInfo.InvariantCulture), path, query)
            : string.Concat(scheme, "://", host, path, query);
    }

    private string BuildPath(HttpRequest request, StringMatcher? pathMatch, bool gatewayApi)
    {
        if (_path is not null)
        {
            // Configured, so used as written (already escaped).
            return _path;
        }

        var path = request.Path;
        if (_prefixReplacement is not null)
        {
            path = new PathString(PathReplacement.ReplacePrefix(path.Value ?? "/", pathMatch, gatewayApi, _prefixReplacement));
        }

        // Escaped again as it travels in a URL; '\' and other unsafe characters come out percent-encoded.
        var escaped = request.PathBase.Add(path).ToUriComponent();
        return escaped.Length == 0 ? "/" : escaped;
    }

    private static int DefaultPort(string scheme)
        => string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443
            : string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase) ? 80
            : -1;
}
