using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// A mirror's copy of the client's request body, fed by <see cref="MirrorTee"/> through a pipe the mirror
/// drains. At most <see cref="BufferLimit"/> bytes may wait in it: a mirror that falls further behind is
/// abandoned (its request fails) instead of slowing the forwarded request down.
/// </summary>
internal sealed class MirrorBodyContent : HttpContent
{
    /// <summary>The most a mirror may lag behind the forwarded request before it is abandoned.</summary>
    public const int BufferLimit = 1024 * 1024;

    // The limit is enforced here, so the pipe itself never pauses the writer (the forwarded request).
    private static readonly PipeOptions Options = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

    private readonly Pipe _pipe = new(Options);
    private readonly long? _contentLength;
    private readonly CancellationTokenSource _mirrorLifetime;
    private readonly ILogger _logger;
    private readonly string _cluster;
    private long _buffered;
    private bool _closed;

    public MirrorBodyContent(long? contentLength, CancellationTokenSource mirrorLifetime, ILogger logger, string cluster)
    {
        _contentLength = contentLength;
        _mirrorLifetime = mirrorLifetime;
        _logger = logger;
        _cluster = cluster;
    }

    /// <summary>Copies a chunk into the pipe, or abandons the mirror when it is too far behind.</summary>
    public void Write(ReadOnlySpan<byte> chunk)
    {
        lock (_pipe)
        {
            if (_closed)
            {
                return;
            }

            if (Interlocked.Add(ref _buffered, chunk.Length) > BufferLimit)
            {
                ForwarderLog.MirrorAbandoned(_logger, _cluster, BufferLimit);
                CloseWriter(new IOException("The mirror fell behind the forwarded request; its copy of the body was abandoned."));
                return;
            }

            _pipe.Writer.Write(chunk);
            var flush = _pipe.Writer.FlushAsync(CancellationToken.None);
            if (flush.IsCompletedSuccessfully)
            {
                if (flush.Result.IsCompleted)
                {
                    // The mirror stopped reading (its request ended): nothing more to copy.
                    CloseWriter(null);
                }
            }
            else
            {
                // Never the case without a pause threshold; observed all the same.
                _ = flush.AsTask();
            }
        }
    }

    /// <summary>Ends the body: complete, or failed with <paramref name="exception"/>.</summary>
    public void Complete(Exception? exception)
    {
        lock (_pipe)
        {
            if (!_closed)
            {
                CloseWriter(exception);
            }
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var reader = _pipe.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await stream.WriteAsync(segment, cancellationToken);
                }

                await stream.FlushAsync(cancellationToken);
                reader.AdvanceTo(buffer.End);
                Interlocked.Add(ref _buffered, -buffer.Length);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            await reader.CompleteAsync();
        }
        catch (Exception ex)
        {
            await reader.CompleteAsync(ex);
            throw;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _contentLength ?? -1;
        return _contentLength.HasValue;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The mirror's request is over: stop copying into a pipe nobody reads, and never let a body still
            // being sent end as if it were complete.
            Complete(new ObjectDisposedException(nameof(MirrorBodyContent)));
        }

        base.Dispose(disposing);
    }

    private void CloseWriter(Exception? exception)
    {
        _closed = true;
        _pipe.Writer.Complete(exception);
        if (exception is not null)
        {
            // The mirror may be stuck writing to an upstream that does not read, where the pipe's error would
            // never reach it: cancel its request. Callbacks run off the forwarded request's thread.
            _ = _mirrorLifetime.CancelAsync();
        }
    }
}
