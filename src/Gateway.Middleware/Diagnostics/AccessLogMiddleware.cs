using System.Globalization;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// Writes one line per request in Envoy's default access-log format once the response is done. Costs nothing
/// but one level check when the <see cref="AccessLog.CategoryName"/> category is not enabled at Information.
/// Never logs tokens or cookies: <c>Authorization</c> and <c>Cookie</c> are not part of the format, and the
/// values of token-like query parameters (Istio's default <c>access_token</c>) are replaced in the path.
/// </summary>
internal sealed class AccessLogMiddleware
{
    private const string Empty = "-";

    private readonly RequestDelegate _next;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly GatewayForwardingOptions _forwarding;

    public AccessLogMiddleware(RequestDelegate next, ILoggerFactory loggerFactory, TimeProvider timeProvider, IOptions<GatewayForwardingOptions> forwarding)
    {
        _next = next;
        _logger = loggerFactory.CreateLogger(AccessLog.CategoryName);
        _timeProvider = timeProvider;
        _forwarding = forwarding.Value;
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
        var response = context.Response;
        var feature = context.Features.Get<IGatewayFeature>() as GatewayFeature;

        // Envoy logs 0 when no response was started for a client that went away; an unhandled exception
        // before the response started becomes the server's 500.
        var status = response.HasStarted ? response.StatusCode
            : failed ? StatusCodes.Status500InternalServerError
            : context.RequestAborted.IsCancellationRequested ? 0
            : response.StatusCode;

        AccessLog.Request(
            _logger,
            start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            request.Method,
            RedactTarget(context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : (request.PathBase + request.Path + request.QueryString).ToString()),
            request.Protocol,
            status,
            AccessLogResponseFlags.For(context, feature, status),
            counter?.Received ?? 0,
            counter?.Sent ?? 0,
            (long)duration.TotalMilliseconds,
            ForwardedFor(context),
            OrEmpty(request.Headers.UserAgent.ToString()),
            OrEmpty(request.Headers[ForwardedHeaders.XRequestId].ToString()),
            OrEmpty(request.Host.Value),
            feature?.SelectedEndpoint?.Address is { } upstream ? upstream.Host + ":" + upstream.Port.ToString(CultureInfo.InvariantCulture) : Empty);
    }

    /// <summary>The <c>X-Forwarded-For</c> the gateway sent upstream (Envoy logs it after appending the peer).</summary>
    private string ForwardedFor(HttpContext context)
    {
        var hops = _forwarding.TrustedProxyHops;
        var forwarded = hops > 0 ? ForwardedHeaders.TrustedTail(context.Request.Headers[ForwardedHeaders.XForwardedFor], hops) : null;
        if (context.Connection.RemoteIpAddress?.ToString() is { } peer)
        {
            forwarded = string.IsNullOrEmpty(forwarded) ? peer : forwarded + ", " + peer;
        }

        return OrEmpty(forwarded);
    }

    /// <summary>Replaces the values of query parameters whose name contains <c>token</c> (JWTs may travel there).</summary>
    internal static string RedactTarget(string target)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        if (question < 0 || target.IndexOf("token", question, StringComparison.OrdinalIgnoreCase) < 0)
        {
            return target;
        }

        var builder = new System.Text.StringBuilder(target.Length);
        builder.Append(target, 0, question + 1);
        var first = true;
        foreach (var pair in target[(question + 1)..].Split('&'))
        {
            if (!first)
            {
                builder.Append('&');
            }

            first = false;
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            if (equals >= 0 && Uri.UnescapeDataString(name).Contains("token", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append(name).Append("=REDACTED");
            }
            else
            {
                builder.Append(pair);
            }
        }

        return builder.ToString();
    }

    private static string OrEmpty(string? value) => string.IsNullOrEmpty(value) ? Empty : value;
}
