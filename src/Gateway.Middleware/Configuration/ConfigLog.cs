using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Configuration;

internal static partial class ConfigLog
{
    [LoggerMessage(EventIds.ConfigLoaded, LogLevel.Information, "Gateway configuration generation {Generation} is serving.")]
    public static partial void Loaded(ILogger logger, long generation);

    [LoggerMessage(EventIds.ConfigRejected, LogLevel.Error, "Gateway configuration change refused ({Count} errors); the last good configuration keeps serving:\n{Errors}")]
    public static partial void Rejected(ILogger logger, int count, string errors);

    [LoggerMessage(EventIds.ConfigWarning, LogLevel.Warning, "Gateway configuration: {Warning}")]
    public static partial void Warning(ILogger logger, string warning);
}
