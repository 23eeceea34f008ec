using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Authorization;

internal static partial class RbacLog
{
    [LoggerMessage(EventIds.AuthorizationDenied, LogLevel.Debug, "Authorization policy '{Policy}' denied the request; answering 403.")]
    public static partial void Denied(ILogger logger, string policy);

    [LoggerMessage(EventIds.AuthorizationNotAllowed, LogLevel.Debug, "No ALLOW authorization policy matches the request; answering 403.")]
    public static partial void NotAllowed(ILogger logger);

    [LoggerMessage(EventIds.AuthorizationAudit, LogLevel.Information, "AUDIT authorization policy '{Policy}' matches the request ({Method} {Path}).")]
    public static partial void Audit(ILogger logger, string policy, string method, string path);
}
