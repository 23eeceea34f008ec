using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Forwarding;

internal static partial class ForwarderLog
{
    [LoggerMessage(EventIds.ForwarderNoHealthyUpstream, LogLevel.Information, "No healthy endpoint for upstream '{Upstream}'.")]
    public static partial void NoHealthyUpstream(ILogger logger, string upstream);

    [LoggerMessage(EventIds.ForwarderError, LogLevel.Information, "Forwarding to '{Endpoint}' failed: {Error}.")]
    public static partial void ForwardingFailed(ILogger logger, string endpoint, GatewayForwarderError error, Exception? exception);

    [LoggerMessage(EventIds.ForwarderAbortedAfterHeaders, LogLevel.Information, "Aborted the client response from '{Endpoint}' after headers: {Error}.")]
    public static partial void AbortedAfterHeaders(ILogger logger, string endpoint, GatewayForwarderError error, Exception? exception);

    [LoggerMessage(EventIds.ForwarderRetryAfterFailure, LogLevel.Debug, "Try to '{Endpoint}' failed ({Error}); retry {Retry} in {Backoff}.")]
    public static partial void RetryAfterFailure(ILogger logger, string endpoint, GatewayForwarderError error, int retry, TimeSpan backoff, Exception? exception);

    [LoggerMessage(EventIds.ForwarderRetryAfterStatus, LogLevel.Debug, "Try to '{Endpoint}' answered {Status}; retry {Retry} in {Backoff}.")]
    public static partial void RetryAfterStatus(ILogger logger, string endpoint, int status, int retry, TimeSpan backoff);

    [LoggerMessage(EventIds.MirrorFailed, LogLevel.Information, "Mirroring to '{Endpoint}' of '{Cluster}' failed; the mirror's outcome never affects the client.")]
    public static partial void MirrorFailed(ILogger logger, string cluster, string endpoint, Exception exception);

    [LoggerMessage(EventIds.MirrorAbandoned, LogLevel.Information, "The mirror '{Cluster}' fell more than {Limit} bytes behind the request body and was abandoned.")]
    public static partial void MirrorAbandoned(ILogger logger, string cluster, int limit);

    [LoggerMessage(EventIds.MirrorNoHealthyUpstream, LogLevel.Information, "No healthy endpoint to mirror to in '{Cluster}'.")]
    public static partial void MirrorNoHealthyUpstream(ILogger logger, string cluster);
}
