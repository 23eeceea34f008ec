using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Authentication;

// Tokens are never logged.
internal static partial class JwtLog
{
    [LoggerMessage(EventIds.JwksFetched, LogLevel.Information, "JWKS {Uri} fetched: {Count} usable keys.")]
    public static partial void JwksFetched(ILogger logger, Uri uri, int count);

    [LoggerMessage(EventIds.JwksFetchFailed, LogLevel.Warning, "JWKS {Uri} fetch failed; the last good key set (if any) stays in use.")]
    public static partial void JwksFetchFailed(ILogger logger, Uri uri, Exception exception);

    [LoggerMessage(EventIds.JwksRefused, LogLevel.Warning, "JWKS {Uri} refused: {Error}; the last good key set (if any) stays in use.")]
    public static partial void JwksRejected(ILogger logger, Uri uri, string error);

    [LoggerMessage(EventIds.JwtRejected, LogLevel.Debug, "JWT rejected: {Status}.")]
    public static partial void Rejected(ILogger logger, JwtStatus status);
}
