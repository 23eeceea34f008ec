using Gateway.Middleware.Diagnostics;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the gateway's server-side tracing to the request pipeline.</summary>
public static class GatewayTracingApplicationBuilderExtensions
{
    /// <summary>
    /// Records a server span per request on the <c>Gateway.Middleware</c> ActivitySource, or, when ASP.NET Core's own
    /// request span is recorded (OpenTelemetry.Instrumentation.AspNetCore), adds the gateway's attributes to it instead.
    /// <c>UseGateway()</c> already includes it as its first stage; call it only when composing the stages one by one,
    /// before the first of them. Costs one check per request when nobody listens to the source.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseGatewayTracing(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<GatewayTracingMiddleware>();
    }
}
