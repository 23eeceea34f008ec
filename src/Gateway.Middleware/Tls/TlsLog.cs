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

    [LoggerMessage(EventIds.TlsClientCertificateRejected, LogLevel.Information, "TLS handshake refused on server '{Server}' from {Remote}: {Reason}.")]
    public static partial void ClientCertificateRejected(ILogger logger, string server, string remote, string reason);

    [LoggerMessage(EventIds.TlsNoServerForPort, LogLevel.Warning, "TLS handshake refused on port {Port}: no server terminating TLS is configured for this port.")]
    public static partial void NoServerForPort(ILogger logger, int port);

    [LoggerMessage(EventIds.TlsHandshakeOptionsFailed, LogLevel.Warning, "TLS handshake refused on port {Port}: {Reason}")]
    public static partial void HandshakeOptionsFailed(ILogger logger, int port, string reason);

    [LoggerMessage(EventIds.HttpsRedirected, LogLevel.Debug, "Redirected a plain-text request for server '{Server}' to https.")]
    public static partial void HttpsRedirected(ILogger logger, string server);
}
