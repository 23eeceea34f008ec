using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares a Gateway API HTTPRoute: hostnames, the listeners (servers) it attaches to, and rules. Rules
/// of all HTTPRoutes on a host are ordered by the Gateway API's precedence, not by declaration order.
/// </summary>
public sealed class GatewayHttpRouteBuilder
{
    private readonly string _name;
    private readonly long _creationOrder;
    private readonly List<string> _hostnames = [];
    private readonly List<string> _servers = [];
    private readonly List<GatewayRouteBuilder> _rules = [];

    internal GatewayHttpRouteBuilder(string name, long creationOrder)
    {
        _name = name;
        _creationOrder = creationOrder;
    }

    /// <summary>Hostnames of the route (Gateway API <c>hostnames</c>). Default: every host of the server.</summary>
    public GatewayHttpRouteBuilder Hostnames(params string[] hostnames)
    {
        ArgumentNullException.ThrowIfNull(hostnames);
        _hostnames.AddRange(hostnames);
        return this;
    }

    /// <summary>The servers (listeners) the route attaches to (Gateway API <c>parentRefs.sectionName</c>). Default: every server.</summary>
    public GatewayHttpRouteBuilder Servers(params string[] servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        _servers.AddRange(servers);
        return this;
    }

    /// <summary>
    /// Adds a rule. In a rule, <c>MatchPathPrefix</c> matches whole segments, weights are relative and a
    /// redirect defaults to 302. A rule without matches matches every path (<c>PathPrefix /</c>).
    /// </summary>
    public GatewayHttpRouteBuilder Rule(Action<GatewayRouteBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var rule = new GatewayRouteBuilder(_name, gatewayApi: true);
        configure(rule);
        _rules.Add(rule);
        return this;
    }

    internal IEnumerable<RouteConfig> Build()
    {
        for (var i = 0; i < _rules.Count; i++)
        {
            yield return _rules[i].Build(new GatewayApiRouteIdentity(_creationOrder, _name, i), [.. _hostnames], [.. _servers]) with
            {
                Name = _rules.Count == 1 ? _name : $"{_name}#{i}",
            };
        }
    }
}
