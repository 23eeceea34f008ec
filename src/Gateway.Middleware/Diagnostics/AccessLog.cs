using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Diagnostics;

internal static partial class AccessLog
{
    /// <summary>The logger category of access-log lines, so they can be routed or filtered on their own.</summary>
    public const string CategoryName = "Gateway.Middleware.AccessLog";

    // Envoy's default format (envoyproxy.io, "Access logging", Default format string); %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
    // is always "-" because the gateway does not set that header.
    [LoggerMessage(EventIds.AccessLogRequest, LogLevel.Information,
        "[{StartTime}] \"{Method} {Path} {Protocol}\" {ResponseCode} {ResponseFlags} {BytesReceived} {BytesSent} {Duration} - \"{XForwardedFor}\" \"{UserAgent}\" \"{RequestId}\" \"{Authority}\" \"{UpstreamHost}\"")]
    public static partial void Request(
        ILogger logger,
        string startTime,
        string method,
        string path,
        string protocol,
        int responseCode,
        string responseFlags,
        long bytesReceived,
        long bytesSent,
        long duration,
        string xForwardedFor,
        string userAgent,
        string requestId,
        string authority,
        string upstreamHost);

    /// <summary>A line (or JSON object) in a configured format; the whole entry is the <c>AccessLog</c> property.</summary>
    [LoggerMessage(EventIds.AccessLogRequest, LogLevel.Information, "{AccessLog}")]
    public static partial void Formatted(ILogger logger, string accessLog);
}
