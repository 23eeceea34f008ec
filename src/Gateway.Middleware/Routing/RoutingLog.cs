using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Routing;

internal static partial class RoutingLog
{
    [LoggerMessage(EventIds.NoVirtualHost, LogLevel.Debug, "No server or route host matches the request's Host; answering 404.")]
    public static partial void NoVirtualHost(ILogger logger);

    [LoggerMessage(EventIds.NoRoute, LogLevel.Debug, "No route matches the request; answering 404.")]
    public static partial void NoRoute(ILogger logger);
}
