using System.Security.Cryptography;

namespace Gateway.Middleware.FunctionalTests.Infrastructure;

/// <summary>
/// A read-only stream of <c>length</c> bytes generated as read (nothing held but a 1 MB pattern): a random block of
/// prime length repeated, so any lost, duplicated or reordered chunk changes the SHA-256 both ends compute.
/// </summary>
internal sealed class GeneratedStream : Stream
{
    private static readonly byte[] Pattern = RandomNumberGenerator.GetBytes(1_048_573);
    private readonly long _length;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    public GeneratedStream(long length) => _length = length;

    /// <summary>The SHA-256 of every byte produced, once the stream has been read to its end.</summary>
    public string? Hash { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    /// <summary>The hash a <see cref="GeneratedStream"/> of <paramref name="length"/> bytes produces.</summary>
    public static string ExpectedHash(long length)
    {
        using var stream = new GeneratedStream(length);
        var buffer = new byte[1024 * 1024];
        while (stream.Read(buffer) > 0)
        {
        }

        return stream.Hash!;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, _length - _position);
        var written = 0;
        while (written < n)
        {
            var at = (int)((_position + written) % Pattern.Length);
            var take = Math.Min(n - written, Pattern.Length - at);
            Pattern.AsSpan(at, take).CopyTo(buffer[written..]);
            written += take;
        }

        _hash.AppendData(buffer[..n]);
        _position += n;
        if (_position == _length && Hash is null)
        {
            Hash = Convert.ToHexString(_hash.GetHashAndReset());
        }

        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
