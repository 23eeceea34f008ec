namespace IstioGateway;

internal static partial class IstioGatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "Gateway listening on {Address} ports {Ports}; status port {StatusPort} (/healthz/ready, /healthz/live); config {Config}.")]
    public static partial void Listening(ILogger logger, string address, string ports, int statusPort, string config);

    [LoggerMessage(2, LogLevel.Warning, "The configuration names no HTTP server or listener port: only the status port is served.")]
    public static partial void NoPorts(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "Ports {Ports} terminate TLS (certificates chosen by SNI, HTTP/2 by ALPN).")]
    public static partial void TlsPorts(ILogger logger, string ports);

    [LoggerMessage(4, LogLevel.Warning, "The reloaded configuration names ports {Ports} the host does not listen on: restart the host to serve them.")]
    public static partial void PortsNeedRestart(ILogger logger, string ports);

    [LoggerMessage(5, LogLevel.Warning, "Could not read the ports of the reloaded configuration.")]
    public static partial void PortsUnreadable(ILogger logger, Exception exception);
}
