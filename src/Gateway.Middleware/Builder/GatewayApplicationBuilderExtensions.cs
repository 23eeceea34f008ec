using Gateway.Middleware.Configuration;
using Gateway.Middleware.Forwarding;
using Gateway.Middleware.Hosts;
using Gateway.Middleware.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the gateway's stages to the request pipeline.</summary>
public static class GatewayApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the whole gateway in its standard order: tracing, request metrics, path normalization, host matching, JWT, routing, authorization,
    /// forwarding. Terminal: requests
    /// that reach it are answered by the gateway (404 when no host or route matches).
    /// </summary>
    /// <exception cref="GatewayConfigurationException">The configuration is invalid; the message lists every error.</exception>
    public static IApplicationBuilder UseGateway(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Metrics inside the server span: a recorded measurement can carry the request's trace as an exemplar.
        return app.UseGatewayTracing().UseGatewayMetrics().UseGatewayPathNormalization().UseGatewayHostMatching().UseGatewayJwt().UseGatewayRouting().UseGatewayAuthorization().UseGatewayForwarding();
    }

    /// <summary>
    /// Selects the virtual host from the request's <c>Host</c> (port ignored; exact beats wildcard, longer
    /// wildcard beats shorter). Answers 404 when none matches.
    /// </summary>
    public static IApplicationBuilder UseGatewayHostMatching(this IApplicationBuilder app)
    {
        EnsureBuilt(app);
        return app.UseMiddleware<HostMatchingMiddleware>();
    }

    /// <summary>Selects the route and destination; answers 404 when no route matches.</summary>
    public static IApplicationBuilder UseGatewayRouting(this IApplicationBuilder app)
    {
        EnsureBuilt(app);
        return app.UseMiddleware<RoutingMiddleware>();
    }

    /// <summary>
    /// Forwards the routed request to its upstream and streams the response back. Terminal. Upstream
    /// failures answer 503 (connect, TLS, reset, no endpoint) or 504 (route timeout) with Envoy's texts.
    /// </summary>
    public static IApplicationBuilder UseGatewayForwarding(this IApplicationBuilder app)
    {
        EnsureBuilt(app);
        return app.UseMiddleware<ForwarderMiddleware>();
    }

    // Compiling here makes an invalid configuration fail while the app is built, before Kestrel accepts a
    // connection, with one exception listing every error.
    private static void EnsureBuilt(IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.ApplicationServices.GetRequiredService<GatewayConfigProvider>();
    }
}
