using System.IO.Pipelines;

namespace Gateway.Middleware.Diagnostics;

/// <summary>The response body writer, counting what is advanced for the access log.</summary>
internal sealed class CountingPipeWriter : PipeWriter
{
    private readonly PipeWriter _inner;
    private readonly AccessLogBodyCounter _counter;

    public CountingPipeWriter(PipeWriter inner, AccessLogBodyCounter counter)
    {
        _inner = inner;
        _counter = counter;
    }

    public override void Advance(int bytes)
    {
        _inner.Advance(bytes);
        _counter.Sent += bytes;
    }

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        _counter.Sent += source.Length;
        return _inner.WriteAsync(source, cancellationToken);
    }
}
