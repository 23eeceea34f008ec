using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares one route (an Istio VirtualService <c>http</c> rule): the hosts it serves, its matches and its
/// destinations.
/// </summary>
public sealed class GatewayRouteBuilder
{
    private readonly string _name;
    private readonly List<string> _hosts = [];
    private readonly List<RouteMatchConfig> _matches = [];
    private readonly List<DestinationConfig> _destinations = [];
    private TimeSpan? _timeout;

    internal GatewayRouteBuilder(string name)
    {
        _name = name;
    }

    /// <summary>
    /// Adds hosts the route serves: exact names, <c>*.suffix</c> wildcards or <c>*</c>, case-insensitive,
    /// the port of the request's <c>Host</c> ignored. With none, the route serves every host.
    /// </summary>
    public GatewayRouteBuilder Hosts(params string[] hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        _hosts.AddRange(hosts);
        return this;
    }

    /// <summary>
    /// Adds an alternative match: the route is selected when any one of its matches holds, and a match
    /// holds when every condition in it does. A route with no match selects every request.
    /// </summary>
    public GatewayRouteBuilder Match(Action<GatewayMatchBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var match = new GatewayMatchBuilder();
        configure(match);
        _matches.Add(match.Build());
        return this;
    }

    /// <summary>Adds a match on a plain path prefix (Istio <c>uri.prefix</c>: <c>/v2</c> also matches <c>/v2example</c>).</summary>
    public GatewayRouteBuilder MatchPathPrefix(string prefix) => Match(m => m.PathPrefix(prefix));

    /// <summary>Sends all of the route's traffic (or <paramref name="weight"/> parts of it) to <paramref name="upstream"/>.</summary>
    /// <param name="upstream">The name given to <c>AddUpstream</c>.</param>
    /// <param name="weight">The share of traffic relative to the route's other destinations. Default 100.</param>
    public GatewayRouteBuilder RouteTo(string upstream, int weight = 100)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        _destinations.Add(new DestinationConfig(upstream, weight));
        return this;
    }

    /// <summary>
    /// Limits the whole exchange with the upstream. When it elapses before the response starts the client
    /// gets 504 <c>upstream request timeout</c>; afterwards the response is aborted. Disabled by default
    /// (Istio's default).
    /// </summary>
    public GatewayRouteBuilder Timeout(TimeSpan timeout)
    {
        _timeout = timeout;
        return this;
    }

    internal RouteConfig Build() => new()
    {
        Name = _name,
        Hosts = [.. _hosts],
        Matches = [.. _matches],
        Destinations = [.. _destinations],
        Timeout = _timeout,
        Source = $"route '{_name}'",
    };
}
