using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// Records <c>gateway.requests</c> and <c>gateway.request.duration</c> once the response is done, with the route,
/// destination, status and Envoy response flags the stages left on the request; a stage at the start of
/// <c>UseGateway()</c>, so 404, 401 and 403 local replies count too. Without a listener it only calls the next stage.
/// </summary>
internal sealed class GatewayMetricsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _timeProvider;

    public GatewayMetricsMiddleware(RequestDelegate next, GatewayMetrics metrics, TimeProvider timeProvider)
    {
        _next = next;
        _metrics = metrics;
        _timeProvider = timeProvider;
    }

    public Task InvokeAsync(HttpContext context)
        => _metrics.RequestStageEnabled ? InvokeMeasuredAsync(context) : _next(context);

    private async Task InvokeMeasuredAsync(HttpContext context)
    {
        var started = _timeProvider.GetTimestamp();
        var failed = false;
        try
        {
            await _next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            Record(context, _timeProvider.GetElapsedTime(started), failed);
        }
    }

    private void Record(HttpContext context, TimeSpan duration, bool failed)
    {
        var feature = context.Features.Get<IGatewayFeature>() as GatewayFeature;

        // As the access log: 0 when the client left before a response started, the server's 500 for an exception.
        var status = AccessLogResponseFlags.DownstreamStatus(context, failed);

        if (feature is { Error: GatewayForwarderError.Overflow, Cluster: { } cluster })
        {
            _metrics.CircuitBreakerOverflowed(cluster.Name);
        }

        if (_metrics.RequestsEnabled)
        {
            _metrics.RequestCompleted(feature, context.Request.Method, status, AccessLogResponseFlags.For(context, feature, status), duration);
        }
    }
}
