using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// Writes one entry per request once the response is done, in Envoy's default format or the configured one. Costs
/// nothing but one level check when the <see cref="AccessLog.CategoryName"/> category is not enabled at Information.
/// Never logs tokens or cookies (<see cref="AccessLogRedaction"/>).
/// </summary>
internal sealed class AccessLogMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly GatewayForwardingOptions _forwarding;
    private readonly AccessLogFormat _format;

    public AccessLogMiddleware(RequestDelegate next, ILoggerFactory loggerFactory, TimeProvider timeProvider, IOptions<GatewayForwardingOptions> forwarding, AccessLogFormat format)
    {
        _next = next;
        _logger = loggerFactory.CreateLogger(AccessLog.CategoryName);
        _timeProvider = timeProvider;
        _forwarding = forwarding.Value;
        _format = format;
    }

    public Task InvokeAsync(HttpContext context)
        => _logger.IsEnabled(LogLevel.Information) ? InvokeLoggedAsync(context) : _next(context);

    private async Task InvokeLoggedAsync(HttpContext context)
    {
        var start = _timeProvider.GetUtcNow();
        var started = _timeProvider.GetTimestamp();
        var counter = AccessLogBodyCounter.Attach(context);
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
            counter?.Detach(context);
            Write(context, start, _timeProvider.GetElapsedTime(started), counter, failed);
        }
    }

    private void Write(HttpContext context, DateTimeOffset start, TimeSpan duration, AccessLogBodyCounter? counter, bool failed)
    {
        var request = context.Request;
        var feature = context.Features.Get<IGatewayFeature>() as GatewayFeature;

        var status = AccessLogResponseFlags.DownstreamStatus(context, failed);

        var record = new AccessLogRecord(context, feature, status, start, duration, counter, _forwarding.TrustedProxyHops);
        if (!_format.IsDefault)
        {
            AccessLog.Formatted(_logger, _format.Render(record));
            return;
        }

        AccessLog.Request(
            _logger,
            record.StartTime,
            request.Method,
            record.OriginalPath,
            request.Protocol,
            status,
            AccessLogResponseFlags.For(context, feature, status),
            counter?.Received ?? 0,
            counter?.Sent ?? 0,
            (long)duration.TotalMilliseconds,
            record.ForwardedFor,
            OrEmpty(request.Headers.UserAgent.ToString()),
            OrEmpty(request.Headers[ForwardedHeaders.XRequestId].ToString()),
            OrEmpty(request.Host.Value),
            record.UpstreamHost);
    }

    private static string OrEmpty(string? value) => string.IsNullOrEmpty(value) ? AccessLogRecord.Empty : value;
}
