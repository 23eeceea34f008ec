using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares one routing rule, as an Istio VirtualService <c>http</c> entry (<c>AddRoute</c>) or a
/// Gateway API HTTPRoute rule (<c>AddHttpRoute</c>): the hosts it serves, what it matches and what it does.
/// </summary>
/// <remarks>
/// The <c>Match…</c> shortcuts add conditions to one match (they AND, as fields of one Istio
/// <c>match</c> entry); <see cref="Match"/> adds an alternative match (the list ORs).
/// </remarks>
public sealed partial class GatewayRouteBuilder
{
    private readonly string _name;
    private readonly bool _gatewayApi;
    private readonly List<string> _hosts = [];
    private readonly List<string> _servers = [];
    private readonly List<GatewayMatchBuilder> _matches = [];
    private readonly List<DestinationConfig> _destinations = [];
    private readonly List<MirrorConfig> _mirrors = [];
    private readonly List<string> _errors = [];
    private GatewayMatchBuilder? _implicitMatch;
    private TimeSpan? _timeout;
    private RetryConfig? _retries;
    private RedirectConfig? _redirect;
    private DirectResponseConfig? _directResponse;
    private RewriteConfig? _rewrite;
    private FaultConfig? _fault;
    private CorsConfig? _cors;
    private GatewayHeaderOperationsBuilder? _requestHeaders;
    private GatewayHeaderOperationsBuilder? _responseHeaders;

    internal GatewayRouteBuilder(string name, bool gatewayApi = false)
    {
        _name = name;
        _gatewayApi = gatewayApi;
    }

    /// <summary>
    /// Adds hosts the rule serves: exact names, <c>*.suffix</c> wildcards or <c>*</c>, case-insensitive,
    /// the port of the request's <c>Host</c> ignored. With none, the rule serves every host.
    /// </summary>
    public GatewayRouteBuilder Hosts(params string[] hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        _hosts.AddRange(hosts);
        return this;
    }

    /// <summary>
    /// Binds the rule to these servers only (Istio VirtualService <c>gateways</c>). By default a rule binds
    /// to every server whose hosts intersect its own.
    /// </summary>
    public GatewayRouteBuilder Servers(params string[] servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        _servers.AddRange(servers);
        return this;
    }

    /// <summary>
    /// Adds an alternative match: the rule is selected when any one of its matches holds, and a match
    /// holds when every condition in it does. A rule with no match selects every request.
    /// </summary>
    public GatewayRouteBuilder Match(Action<GatewayMatchBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var match = new GatewayMatchBuilder(_gatewayApi);
        configure(match);
        _matches.Add(match);
        return this;
    }

    /// <summary>Adds a path-prefix condition to the rule's match (see <see cref="GatewayMatchBuilder.PathPrefix"/>).</summary>
    public GatewayRouteBuilder MatchPathPrefix(string prefix) => Implicit(m => m.PathPrefix(prefix));

    /// <summary>Adds an exact-path condition to the rule's match.</summary>
    public GatewayRouteBuilder MatchPath(string path) => Implicit(m => m.PathExact(path));

    /// <summary>Adds a path regular-expression condition (full match) to the rule's match.</summary>
    public GatewayRouteBuilder MatchPathRegex(string pattern) => Implicit(m => m.PathRegex(pattern));

    /// <summary>Adds a header condition to the rule's match; with no value condition the header must be present.</summary>
    public GatewayRouteBuilder MatchHeader(string name, string? exact = null, string? prefix = null, string? regex = null)
        => Implicit(m => m.Header(name, exact, prefix, regex));

    /// <summary>Adds a query-parameter condition to the rule's match; with no value condition the parameter must be present.</summary>
    public GatewayRouteBuilder MatchQueryParam(string name, string? exact = null, string? prefix = null, string? regex = null)
        => Implicit(m => m.QueryParam(name, exact, prefix, regex));

    /// <summary>Adds an exact method condition to the rule's match.</summary>
    public GatewayRouteBuilder MatchMethod(string method) => Implicit(m => m.Method(exact: method));

    /// <summary>
    /// Sends the rule's traffic, or <paramref name="weight"/> parts of it, to a service.
    /// </summary>
    /// <param name="upstream">The service name given to <c>AddUpstream</c>.</param>
    /// <param name="weight">
    /// The share of traffic. In an Istio route the weights of a rule's destinations must add up to 100
    /// (a single destination may leave it at 100); in a Gateway API route they are relative. 0 sends nothing.
    /// </param>
    /// <param name="subset">A subset declared on the upstream (DestinationRule <c>subsets</c>).</param>
    /// <param name="port">The service port, when the upstream serves several.</param>
    public GatewayRouteBuilder RouteTo(string upstream, int weight = 100, string? subset = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        _destinations.Add(new DestinationConfig(upstream, weight) { Subset = subset, Port = port });
        return this;
    }

    /// <summary>Sends traffic to a service, with per-destination options (weight, subset, port, header operations).</summary>
    public GatewayRouteBuilder RouteTo(string upstream, Action<GatewayDestinationBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(configure);
        var destination = new GatewayDestinationBuilder(upstream);
        configure(destination);
        _destinations.Add(destination.Build());
        return this;
    }

    /// <summary>
    /// Limits the time from the end of the client's request to the end of the response (Envoy's route
    /// timeout). Before the response starts the client gets 504 <c>upstream request timeout</c>; afterwards
    /// the response is aborted. Disabled by default (Istio's default).
    /// </summary>
    public GatewayRouteBuilder Timeout(TimeSpan timeout)
    {
        _timeout = timeout;
        return this;
    }

    internal RouteConfig Build(GatewayApiRouteIdentity? identity = null, IReadOnlyList<string>? hosts = null, IReadOnlyList<string>? servers = null)
    {
        var matches = new List<RouteMatchConfig>();
        var errors = new List<string>(_errors);
        foreach (var match in _implicitMatch is null ? _matches : [_implicitMatch, .. _matches])
        {
            matches.Add(match.Build());
            errors.AddRange(match.Errors);
        }

        return new RouteConfig
        {
            Name = _name,
            Hosts = hosts ?? [.. _hosts],
            Servers = servers ?? [.. _servers],
            Ordering = _gatewayApi ? RouteOrdering.GatewayApiPrecedence : RouteOrdering.FirstMatch,
            GatewayApi = identity,
            Matches = matches,
            Destinations = [.. _destinations],
            Redirect = _redirect,
            DirectResponse = _directResponse,
            Rewrite = _rewrite,
            RequestHeaders = _requestHeaders?.Build(),
            ResponseHeaders = _responseHeaders?.Build(),
            Fault = _fault,
            Timeout = _timeout,
            Retries = _retries,
            Mirrors = [.. _mirrors],
            Cors = _cors,
            DeclarationErrors = errors,
            Source = identity is null ? $"route '{_name}'" : $"HTTPRoute '{identity.QualifiedName}' rule {identity.RuleIndex}",
        };
    }

    private GatewayRouteBuilder Implicit(Action<GatewayMatchBuilder> configure)
    {
        _implicitMatch ??= new GatewayMatchBuilder(_gatewayApi);
        configure(_implicitMatch);
        return this;
    }
}
