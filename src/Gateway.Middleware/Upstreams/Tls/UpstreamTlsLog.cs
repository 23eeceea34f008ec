using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>Log messages of TLS origination to upstreams (event ids 810-829).</summary>
internal static partial class UpstreamTlsLog
{
    [LoggerMessage(EventIds.UpstreamTlsInsecureSkipVerify, LogLevel.Warning, "upstream {Upstream}: insecureSkipVerify is set; the upstream's certificate chain and name are not verified.")]
    public static partial void InsecureSkipVerify(ILogger logger, string upstream);

    [LoggerMessage(EventIds.UpstreamTlsHandshakeFailed, LogLevel.Warning, "upstream {Upstream}: TLS handshake with {Endpoint} failed: TLS error: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, string upstream, string endpoint, string reason, Exception exception);
}
