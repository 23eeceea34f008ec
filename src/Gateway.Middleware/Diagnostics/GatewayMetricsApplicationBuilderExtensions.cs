using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the gateway's request metrics to the request pipeline.</summary>
public static class GatewayMetricsApplicationBuilderExtensions
{
    // Set once the stage is in a pipeline, so UseGatewayMetrics() followed by UseGateway() counts each request once.
    private const string AddedKey = "Gateway.Middleware.Metrics";

    /// <summary>
    /// Records <c>gateway.requests</c> and <c>gateway.request.duration</c> (meter <c>Gateway.Middleware</c>) for every
    /// request that passes, when it completes. <c>UseGateway()</c> already adds it, right after tracing: call this only
    /// when composing the stages yourself, before the first of them (a second call on the same pipeline adds nothing).
    /// Costs one check per request when nothing listens.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseGatewayMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var timeProvider = app.ApplicationServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var metrics = app.ApplicationServices.GetService<GatewayMetrics>();
        if (metrics is null || app.Properties.ContainsKey(AddedKey))
        {
            return app;
        }

        app.Properties[AddedKey] = true;
        return app.UseMiddleware<GatewayMetricsMiddleware>(metrics, timeProvider);
    }
}
