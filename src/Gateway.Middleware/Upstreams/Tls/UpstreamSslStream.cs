using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>
/// The TLS stream handed to SocketsHttpHandler. In TLS 1.3 a server refuses a missing client certificate only
/// after the client has finished its handshake, with an alert the client sees as the connection closing; when
/// the server asked for a certificate and the gateway had none, the first read reports that as a TLS error
/// instead of a bare reset. After the first bytes it is a plain <see cref="SslStream"/>.
/// </summary>
internal sealed class UpstreamSslStream : SslStream
{
    private string? _closeReason;
    private ILogger? _logger;
    private string _upstream = "";
    private string _endpoint = "";

    public UpstreamSslStream(Stream innerStream)
        : base(innerStream, leaveInnerStreamOpen: false)
    {
    }

    /// <summary>Set after the handshake: what a close before the first byte means, and where to log it.</summary>
    public void ExplainEarlyClose(string reason, ILogger logger, string upstream, string endpoint)
    {
        _logger = logger;
        _upstream = upstream;
        _endpoint = endpoint;
        _closeReason = reason;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        // A zero-byte read (HTTP/2 waits for data that way) returns 0 without meaning the end of the stream.
        => _closeReason is null || buffer.IsEmpty ? base.ReadAsync(buffer, cancellationToken) : FirstReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private async ValueTask<int> FirstReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var reason = _closeReason!;
        int read;
        try
        {
            read = await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw Fail(ex.Message, new UpstreamTlsException(reason, ex));
        }

        if (read == 0)
        {
            throw Fail("The upstream closed the connection after the TLS handshake.", new UpstreamTlsException(reason, null));
        }

        _closeReason = null;
        return read;
    }

    private IOException Fail(string message, UpstreamTlsException tls)
    {
        UpstreamTlsLog.HandshakeFailed(_logger!, _upstream, _endpoint, tls.Reason, tls);
        return new IOException(message, tls);
    }
}
