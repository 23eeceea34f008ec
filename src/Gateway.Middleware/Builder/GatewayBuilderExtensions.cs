using Gateway.Middleware.Builder;
using Gateway.Middleware.Forwarding;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Declares the gateway's routes and upstreams in code.</summary>
public static class GatewayBuilderExtensions
{
    /// <summary>
    /// Adds a route. Routes are tried in the order they are added, per host; the first that matches wins
    /// (Istio VirtualService semantics).
    /// </summary>
    /// <example><code>
    /// gateway.AddRoute("reviews", r => r.Hosts("bookinfo.example.com").MatchPathPrefix("/reviews").RouteTo("reviews"));
    /// </code></example>
    public static IGatewayBuilder AddRoute(this IGatewayBuilder builder, string name, Action<GatewayRouteBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        var route = new GatewayRouteBuilder(name);
        configure(route);
        GetConfig(builder).AddRoute(route.Build());
        return builder;
    }

    /// <summary>
    /// Adds a Gateway API HTTPRoute. Its rules, and those of every other HTTPRoute on the same host, are
    /// ordered by the Gateway API's precedence: exact path, longest prefix, method, most header matches,
    /// most query matches, oldest route, name, rule order.
    /// </summary>
    /// <example><code>
    /// gateway.AddHttpRoute("store", r => r.Hostnames("shop.example.com")
    ///     .Rule(rule => rule.MatchPathPrefix("/cart").RouteTo("cart"))
    ///     .Rule(rule => rule.RouteTo("store")));
    /// </code></example>
    public static IGatewayBuilder AddHttpRoute(this IGatewayBuilder builder, string name, Action<GatewayHttpRouteBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        var config = GetConfig(builder);
        var route = new GatewayHttpRouteBuilder(name, config.NextHttpRouteOrder());
        configure(route);
        foreach (var rule in route.Build())
        {
            config.AddRoute(rule);
        }

        return builder;
    }

    /// <summary>
    /// Adds a server (an Istio Gateway <c>servers</c> entry): the hosts served on a port. Without any
    /// server, every host on every port is served and the routes alone decide.
    /// </summary>
    public static IGatewayBuilder AddServer(this IGatewayBuilder builder, string name, Action<GatewayServerBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        var server = new GatewayServerBuilder(name);
        configure(server);
        GetConfig(builder).AddServer(server.Build());
        return builder;
    }

    /// <summary>Adds an upstream service that routes send traffic to.</summary>
    /// <example><code>
    /// gateway.AddUpstream("reviews", u => u.Endpoint("http://127.0.0.1:9080").Endpoint("http://127.0.0.1:9081"));
    /// </code></example>
    public static IGatewayBuilder AddUpstream(this IGatewayBuilder builder, string name, Action<GatewayUpstreamBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        var upstream = new GatewayUpstreamBuilder(name);
        configure(upstream);
        GetConfig(builder).AddUpstream(upstream.Build());
        return builder;
    }

    /// <summary>Configures forwarding: trusted proxy hops and <c>x-request-id</c> generation.</summary>
    public static IGatewayBuilder ConfigureForwarding(this IGatewayBuilder builder, Action<GatewayForwardingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    private static GatewayConfigBuilder GetConfig(IGatewayBuilder builder)
        => builder is GatewayBuilder gateway
            ? gateway.Config
            : throw new ArgumentException("The builder must come from AddGateway().", nameof(builder));
}
