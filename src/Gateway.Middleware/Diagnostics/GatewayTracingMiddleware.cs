using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// The server side of the gateway's tracing. When ASP.NET Core's request activity is recorded (a listener on the
/// <c>Microsoft.AspNetCore</c> source, such as OpenTelemetry.Instrumentation.AspNetCore) it is enriched with the
/// gateway's decisions, so there is one server span per request; otherwise the gateway starts its own server span.
/// Passes straight through when nobody listens to the gateway's source.
/// </summary>
internal sealed class GatewayTracingMiddleware
{
    private readonly RequestDelegate _next;

    public GatewayTracingMiddleware(RequestDelegate next)
    {
        _next = next;
    }

    public Task InvokeAsync(HttpContext context)
        => GatewayTracing.Source.HasListeners() ? InvokeTracedAsync(context) : _next(context);

    private async Task InvokeTracedAsync(HttpContext context)
    {
        var current = Activity.Current;
        if (current is not null && string.Equals(current.Source.Name, GatewayTracing.AspNetCoreSourceName, StringComparison.Ordinal))
        {
            Exception? failure = null;
            try
            {
                await _next(context);
            }
            catch (Exception ex)
            {
                failure = ex;
                throw;
            }
            finally
            {
                if (current.IsAllDataRequested)
                {
                    GatewayTracing.Enrich(current, context, context.Response.StatusCode, failure);
                }
            }

            return;
        }

        // Activity.Current changes made here (our span, or none for a new trace) end with this async method.
        var activity = GatewayTracing.StartServer(context, current);
        if (activity is null)
        {
            await _next(context);
            return;
        }

        try
        {
            await _next(context);
        }
        catch (Exception ex)
        {
            GatewayTracing.StopServer(activity, context, ex);
            throw;
        }

        GatewayTracing.StopServer(activity, context, null);
    }
}
