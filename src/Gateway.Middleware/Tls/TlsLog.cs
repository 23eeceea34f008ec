using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Tls;

/// <summary>Log messages of certificate loading and TLS (event ids 8xx).</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventIds.CertificateReloaded, LogLevel.Information, "Reloaded TLS material from {Paths}.")]
    public static partial void CertificateReloaded(ILogger logger, string paths);

    [LoggerMessage(EventIds.CertificateReloadFailed, LogLevel.Warning, "Could not reload TLS material from {Paths}; keeping the last good one: {Reason}")]
    public static partial void CertificateReloadFailed(ILogger logger, string paths, string reason, Exception exception);
}
