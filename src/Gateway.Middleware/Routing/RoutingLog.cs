using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Routing;

internal static partial class RoutingLog
{
    [LoggerMessage(EventIds.NoVirtualHost, LogLevel.Debug, "No server or route host matches the request's Host; answering 404.")]
    public static partial void NoVirtualHost(ILogger logger);

    [LoggerMessage(EventIds.NoRoute, LogLevel.Debug, "No route matches the request; answering 404.")]
    public static partial void NoRoute(ILogger logger);

    [LoggerMessage(EventIds.Misdirected, LogLevel.Debug, "The request's authority selects server '{AuthorityServer}' but its TLS SNI selected '{SniServer}'; answering 421.")]
    public static partial void Misdirected(ILogger logger, string authorityServer, string sniServer);
}
