using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Authentication;

// Event ids 700-799 are the JWT stage's block (see Diagnostics/EventIds). Tokens are never logged.
internal static partial class JwtLog
{
    [LoggerMessage(700, LogLevel.Information, "JWKS {Uri} fetched: {Count} usable keys.")]
    public static partial void JwksFetched(ILogger logger, Uri uri, int count);

    [LoggerMessage(701, LogLevel.Warning, "JWKS {Uri} fetch failed; the last good key set (if any) stays in use.")]
    public static partial void JwksFetchFailed(ILogger logger, Uri uri, Exception exception);

    [LoggerMessage(702, LogLevel.Warning, "JWKS {Uri} refused: {Error}; the last good key set (if any) stays in use.")]
    public static partial void JwksRejected(ILogger logger, Uri uri, string error);

    [LoggerMessage(703, LogLevel.Debug, "JWT rejected: {Status}.")]
    public static partial void Rejected(ILogger logger, JwtStatus status);
}
