using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Gateway.Middleware.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Tls;

/// <summary>
/// Kestrel's per-connection TLS callback: picks the server of the connection's local port and SNI from the
/// current configuration snapshot, so a configuration reload or a reloaded certificate file applies to the
/// next connection without a restart.
/// </summary>
internal sealed class GatewayTlsHandshake
{
    private readonly GatewayConfigProvider _config;
    private readonly ILogger _logger;

    public GatewayTlsHandshake(GatewayConfigProvider config, ILogger logger)
    {
        _config = config;
        _logger = logger;
    }

    public ValueTask<SslServerAuthenticationOptions> OnConnection(TlsHandshakeCallbackContext context)
    {
        var port = (context.Connection.LocalEndPoint as IPEndPoint)?.Port ?? 0;
        var selector = _config.Current.Tls.ForPort(port);
        if (selector is null)
        {
            TlsLog.NoServerForPort(_logger, port);
            throw new AuthenticationException($"no server terminating TLS is configured for port {port}");
        }

        var server = selector.Select(context.ClientHelloInfo.ServerName);
        try
        {
            return ValueTask.FromResult(server.CreateOptions(context.Connection));
        }
        catch (InvalidOperationException ex)
        {
            TlsLog.HandshakeOptionsFailed(_logger, port, ex.Message);
            throw new AuthenticationException(ex.Message, ex);
        }
    }
}
