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
}
