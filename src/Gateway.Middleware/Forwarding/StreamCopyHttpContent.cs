using System.Buffers;
using System.Net;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// Streams the client's request body to the upstream as <see cref="HttpClient"/> asks for it: no
/// buffering, one pooled buffer, each chunk flushed so the upstream sees data as the client sends it.
/// Records which side failed so the forwarder can answer correctly.
/// </summary>
internal sealed class StreamCopyHttpContent : HttpContent
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _source;
    private readonly long? _contentLength;
    private readonly CancellationToken _cancellation;

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

    /// <summary>Whether any byte has been sent upstream (a started body is never replayed).</summary>
    public bool Started { get; private set; }

    /// <summary>
    /// A route timeout to start once the whole client body has been sent: Envoy's route timeout spans from
    /// the end of the downstream request to the end of the response.
    /// </summary>
    public (CancellationTokenSource Source, TimeSpan Delay)? TimeoutToStart { get; set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
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
                    SourceError = ex;
                    throw;
                }

                if (read == 0)
                {
                    if (TimeoutToStart is { } timeout)
                    {
                        timeout.Source.CancelAfter(timeout.Delay);
                    }

                    break;
                }

                Started = true;
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
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _contentLength ?? -1;
        return _contentLength.HasValue;
    }
}
