using Gateway.Middleware.Configuration;
using Gateway.Middleware.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves the gateway's running configuration as JSON (Envoy's admin <c>/config_dump</c>).</summary>
public static class GatewayConfigDumpEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET <paramref name="pattern"/></c> to a JSON document of the configuration the gateway is running:
    /// <c>generation</c>, <c>servers</c> (port, hosts, TLS mode, certificate subject, SANs and expiry),
    /// <c>routes</c> (per port and virtual host, in match order: matches, destinations with weights and subsets,
    /// timeout, retries, source file and resource) and <c>clusters</c> (<c>outbound|port|subset|host</c>, endpoints
    /// with their ejection state, load balancer, connection pool, outlier detection and TLS settings, source). The
    /// equivalent of <c>istioctl proxy-config listeners/routes/clusters</c>. Private keys and certificate bodies are
    /// never included, only file paths, secret names and certificate metadata.
    /// </summary>
    /// <remarks>
    /// The dump describes your whole topology: serve it only where operators can reach it, never on a public
    /// listener. Envoy keeps it on its admin port (15000); restrict the endpoint to a management port, e.g.
    /// <c>app.MapGatewayConfigDump().RequireHost("*:15000")</c>, or add an authorization policy to it.
    /// Requires <c>services.AddGateway()</c>.
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="pattern">The route pattern; default <c>/config_dump</c>.</param>
    /// <returns>The endpoint's convention builder (add <c>RequireHost</c>, <c>RequireAuthorization</c>...).</returns>
    public static IEndpointConventionBuilder MapGatewayConfigDump(this IEndpointRouteBuilder endpoints, string pattern = "/config_dump")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return endpoints.MapGet(pattern, WriteAsync).WithDisplayName("Gateway config dump");
    }

    private static Task WriteAsync(HttpContext context)
    {
        var provider = context.RequestServices.GetRequiredService<GatewayConfigProvider>();
        var dump = ConfigDump.Build(provider.Current, ((IGatewayConfigMonitor)provider).Generation);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(dump.ToJsonString(ConfigDump.Options), context.RequestAborted);
    }
}
