using System.Net.Sockets;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>
/// The upstream socket's stream, keeping <see cref="UpstreamConnections"/> up to date. A subclass rather than a
/// wrapper: a TLS connection's <see cref="System.Net.Security.SslStream"/> sits on it and owns it, so closing the
/// TLS stream closes this one, and SocketsHttpHandler still sees the SslStream it needs for ALPN.
/// </summary>
internal sealed class CountedNetworkStream : NetworkStream
{
    private UpstreamConnections? _connections;

    public CountedNetworkStream(Socket socket, UpstreamConnections connections)
        : base(socket, ownsSocket: true)
    {
        _connections = connections;
        connections.Opened();
    }

    protected override void Dispose(bool disposing)
    {
        Interlocked.Exchange(ref _connections, null)?.Closed();
        base.Dispose(disposing);
    }
}
