using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>
/// <see cref="SocketsHttpHandler.ConnectCallback"/> of an upstream: dials the endpoint and, for an
/// <c>https</c> request, runs the TLS handshake itself with the upstream's own SNI, ALPN, roots, names and
/// client certificate. SocketsHttpHandler uses a returned <see cref="SslStream"/> as the connection's TLS
/// (dotnet/runtime#63851), so HTTP/2 negotiated by ALPN and gRPC keep working; it would otherwise derive
/// SNI and the name check from the Host header, which is the client's.
/// </summary>
internal sealed class UpstreamConnector
{
    private const string NoClientCertificate = "the upstream requires a client certificate and none is configured (tls mode MUTUAL or ISTIO_MUTUAL)";

    private readonly UpstreamTlsOrigination? _tls;
    private readonly ILogger _logger;
    private readonly UpstreamConnections? _connections;

    public UpstreamConnector(UpstreamTlsOrigination? tls, ILogger logger, UpstreamConnections? connections = null)
    {
        _tls = tls;
        _logger = logger;
        _connections = connections;
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var endPoint = context.DnsEndPoint;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellation).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var network = _connections is null ? new NetworkStream(socket, ownsSocket: true) : new CountedNetworkStream(socket, _connections);
        var request = context.InitialRequestMessage;
        if (request.RequestUri?.Scheme != Uri.UriSchemeHttps)
        {
            return network;
        }

        if (_tls is null)
        {
            // Endpoints of an upstream without TLS are plain http; never let the handler improvise a handshake.
            await network.DisposeAsync().ConfigureAwait(false);
            throw new UpstreamTlsException("TLS is disabled for this upstream", null);
        }

        var handshake = new UpstreamTlsHandshake();
        var ssl = new UpstreamSslStream(network);
        try
        {
            await ssl.AuthenticateAsClientAsync(_tls.CreateOptions(endPoint.Host, request, handshake), cancellation).ConfigureAwait(false);
            if (handshake.ClientCertificateRequested && ssl.SslProtocol == SslProtocols.Tls13)
            {
                ssl.ExplainEarlyClose(NoClientCertificate, _logger, _tls.Upstream, endPoint.Host + ":" + endPoint.Port);
            }

            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var reason = handshake.FailureReason ?? (handshake.ClientCertificateRequested ? NoClientCertificate : Describe(ex));
            UpstreamTlsLog.HandshakeFailed(_logger, _tls.Upstream, endPoint.Host + ":" + endPoint.Port, reason, ex);
            throw new UpstreamTlsException(reason, ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A handshake that failed before any certificate check: the innermost cause says most.</summary>
    private static string Describe(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return ReferenceEquals(innermost, exception)
            ? "handshake failed: " + exception.Message
            : "handshake failed: " + exception.Message + " (" + innermost.Message + ")";
    }
}
