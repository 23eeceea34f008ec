using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

public sealed partial class GatewayRouteBuilder
{
    /// <summary>
    /// Answers with a redirect instead of forwarding (Istio <c>redirect</c>). Parts not set keep the
    /// request's value. Default status: 301 in an Istio route, 302 in a Gateway API route.
    /// </summary>
    public GatewayRouteBuilder Redirect(Action<GatewayRedirectBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var redirect = new GatewayRedirectBuilder(_gatewayApi ? 302 : 301);
        configure(redirect);
        _redirect = redirect.Build();
        return this;
    }

    /// <summary>Answers with this status and body instead of forwarding (Istio <c>directResponse</c>).</summary>
    public GatewayRouteBuilder DirectResponse(int status, string? body = null)
    {
        _directResponse = new DirectResponseConfig(status, body);
        return this;
    }

    /// <summary>
    /// Rewrites the request before forwarding (Istio <c>rewrite</c>): <paramref name="uri"/> replaces the
    /// matched prefix when the rule matched by prefix, else the whole path; <paramref name="authority"/>
    /// replaces the <c>Host</c>.
    /// </summary>
    public GatewayRouteBuilder Rewrite(string? uri = null, string? authority = null)
    {
        _rewrite = (_rewrite ?? new RewriteConfig()) with { PrefixReplacement = uri, Authority = authority };
        return this;
    }

    /// <summary>Replaces the whole path before forwarding (Gateway API <c>ReplaceFullPath</c>).</summary>
    public GatewayRouteBuilder RewriteFullPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _rewrite = (_rewrite ?? new RewriteConfig()) with { FullPath = path };
        return this;
    }

    /// <summary>
    /// Rewrites the path with a regular expression (Istio <c>uriRegexRewrite</c>); <paramref name="rewrite"/>
    /// may use capture groups as <c>\1</c>.
    /// </summary>
    public GatewayRouteBuilder RewriteRegex(string match, string rewrite)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(rewrite);
        _rewrite = (_rewrite ?? new RewriteConfig()) with { RegexMatch = match, RegexReplacement = rewrite };
        return this;
    }

    /// <summary>Header operations on the request sent upstream (Istio <c>headers.request</c>).</summary>
    public GatewayRouteBuilder RequestHeaders(Action<GatewayHeaderOperationsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_requestHeaders ??= new GatewayHeaderOperationsBuilder());
        return this;
    }

    /// <summary>Header operations on the response sent to the client (Istio <c>headers.response</c>).</summary>
    public GatewayRouteBuilder ResponseHeaders(Action<GatewayHeaderOperationsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_responseHeaders ??= new GatewayHeaderOperationsBuilder());
        return this;
    }

    /// <summary>Injects faults (Istio <c>fault</c>): a delay and/or an abort, each for a percentage of requests.</summary>
    public GatewayRouteBuilder Fault(Action<GatewayFaultBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var fault = new GatewayFaultBuilder();
        configure(fault);
        _fault = fault.Build();
        return this;
    }

    /// <summary>
    /// Sets the retry policy (Istio <c>retries</c>). Without it Istio's default applies: 2 retries on
    /// <c>connect-failure,refused-stream</c>. A request body that has started streaming is never replayed.
    /// </summary>
    /// <param name="attempts">Retries after the first try; 0 disables retries.</param>
    /// <param name="perTryTimeout">Timeout of each try; default none (the route timeout still applies).</param>
    /// <param name="retryOn">Comma-separated Envoy conditions: <c>5xx</c>, <c>gateway-error</c>, <c>connect-failure</c>, <c>refused-stream</c>, <c>retriable-4xx</c>, <c>reset</c>, or status codes.</param>
    public GatewayRouteBuilder Retries(int attempts, TimeSpan? perTryTimeout = null, string? retryOn = null)
    {
        _retries = new RetryConfig
        {
            Attempts = attempts,
            PerTryTimeout = perTryTimeout,
            RetryOn = retryOn is null ? new RetryConfig().RetryOn : retryOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        };
        return this;
    }

    /// <summary>
    /// Mirrors <paramref name="percentage"/> % of the rule's requests to another service, fire and forget
    /// (Istio <c>mirror</c>/<c>mirrors</c>): its answer is ignored and its <c>Host</c> is suffixed <c>-shadow</c>.
    /// </summary>
    public GatewayRouteBuilder Mirror(string upstream, double percentage = 100, string? subset = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        _mirrors.Add(new MirrorConfig(new DestinationConfig(upstream, 100) { Subset = subset, Port = port }, percentage));
        return this;
    }

    /// <summary>Answers CORS preflights and decorates responses (Istio <c>corsPolicy</c>).</summary>
    public GatewayRouteBuilder Cors(Action<GatewayCorsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var cors = new GatewayCorsBuilder();
        configure(cors);
        _cors = cors.Build();
        _errors.AddRange(cors.Errors);
        return this;
    }
}
