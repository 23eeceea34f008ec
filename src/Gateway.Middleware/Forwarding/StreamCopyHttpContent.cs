using System.Buffers;
using System.Net;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// Streams the client's request body to the upstream as <see cref="HttpClient"/> asks for it: no
/// buffering, one pooled buffer, each chunk flushed so the upstream sees data as the client sends it.
/// Records which side failed so the forwarder can answer correctly, and whether the body can still be
/// sent again by a retry.
/// </summary>
internal sealed class StreamCopyHttpContent : HttpContent
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _source;
    private readonly long? _contentLength;
    private readonly CancellationToken _cancellation;
    private volatile bool _started;
    private int _serializing;

    public StreamCopyHttpContent(Stream source, long? contentLength, CancellationToken cancellation)
    {
        _source = source;
        _contentLength = contentLength;
        _cancellation = cancellation;
    }

    /// <summary>Set when reading the client's body threw.</summary>
    public Exception? SourceError { get; private set; }

    /// <summary>Set when writing to the upstream threw.</summary>
    public Exception? DestinationError { get; private set; }

    /// <summary>Whether any byte has been read from the client (and so may have been sent upstream): a started body is never replayed.</summary>
    public bool Started => _started;

    /// <summary>Whether the client's body has been read to its end.</summary>
    public bool Completed { get; private set; }

    /// <summary>
    /// Whether another request may stream the same client body: nothing has been read from it and no read
    /// is still pending (a pending read could consume bytes after the failure that ended this try).
    /// </summary>
    public bool CanReplay => !_started && Volatile.Read(ref _serializing) == 0;

    /// <summary>
    /// A route timeout to start once the whole client body has been sent: Envoy's route timeout spans from
    /// the end of the downstream request to the end of the response.
    /// </summary>
    public (CancellationTokenSource Source, TimeSpan Delay)? TimeoutToStart { get; set; }

    /// <summary>The retry policy's per-try timeout, started at the same moment as the route timeout (Envoy).</summary>
    public (CancellationTokenSource Source, TimeSpan Delay)? TryTimeoutToStart { get; set; }

    /// <summary>Mirrors that receive a copy of every chunk read from the client.</summary>
    public MirrorTee? Tee { get; set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // SocketsHttpHandler sends a request again by itself when the upstream refused it unprocessed (HTTP/2
        // REFUSED_STREAM, GOAWAY, a pooled connection closed before the request went out). That is safe
        // only while nothing has been taken from the client's body; after that the copy would be truncated.
        if (Interlocked.Exchange(ref _serializing, 1) == 1)
        {
            throw new InvalidOperationException("The client's request body is already being streamed.");
        }

        if (_started)
        {
            Volatile.Write(ref _serializing, 0);
            throw new InvalidOperationException("The client's request body has already been streamed and cannot be sent again.");
        }

        // HttpClient hands over the token given to SendAsync, which already carries client abort and timeout.
        var token = cancellationToken.CanBeCanceled ? cancellationToken : _cancellation;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await _source.ReadAsync(buffer.AsMemory(), token);
                }
                catch (Exception ex)
                {
                    // A read we cancelled ourselves (client abort, timeout, upstream reset) is not the client's fault.
                    if (!(ex is OperationCanceledException && token.IsCancellationRequested))
                    {
                        SourceError = ex;
                        Tee?.Fail(ex);
                    }

                    throw;
                }

                if (read == 0)
                {
                    Completed = true;
                    Tee?.Complete();
                    TimeoutToStart?.Source.CancelAfter(TimeoutToStart.Value.Delay);
                    TryTimeoutToStart?.Source.CancelAfter(TryTimeoutToStart.Value.Delay);
                    break;
                }

                _started = true;
                Tee?.Write(buffer.AsSpan(0, read));
                try
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read), token);
                    await stream.FlushAsync(token);
                }
                catch (Exception ex)
                {
                    DestinationError = ex;
                    throw;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Volatile.Write(ref _serializing, 0);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _contentLength ?? -1;
        return _contentLength.HasValue;
    }
}
