using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// Counts the body bytes of one request and its response (Envoy's <c>%BYTES_RECEIVED%</c> and <c>%BYTES_SENT%</c>)
/// by standing in for the response body feature and the request body stream, delegating every call.
/// </summary>
internal sealed class AccessLogBodyCounter : IHttpResponseBodyFeature
{
    private readonly IHttpResponseBodyFeature _inner;
    private readonly Stream? _requestBody;
    private CountingWriteStream? _stream;
    private CountingPipeWriter? _writer;

    private AccessLogBodyCounter(IHttpResponseBodyFeature inner, Stream? requestBody)
    {
        _inner = inner;
        _requestBody = requestBody;
    }

    public long Received { get; internal set; }

    public long Sent { get; internal set; }

    public Stream Stream => _stream ??= new CountingWriteStream(_inner.Stream, this);

    public PipeWriter Writer => _writer ??= new CountingPipeWriter(_inner.Writer, this);

    /// <summary>Starts counting; null when the server exposes no response body feature.</summary>
    public static AccessLogBodyCounter? Attach(HttpContext context)
    {
        if (context.Features.Get<IHttpResponseBodyFeature>() is not { } inner)
        {
            return null;
        }

        // Requests that cannot have a body (GET without Content-Length) keep the server's stream untouched.
        var request = context.Request;
        var original = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false ? null : request.Body;
        var counter = new AccessLogBodyCounter(inner, original);
        if (original is not null)
        {
            request.Body = new CountingReadStream(original, counter);
        }

        context.Features.Set<IHttpResponseBodyFeature>(counter);
        return counter;
    }

    /// <summary>Puts the server's features back once the request is done.</summary>
    public void Detach(HttpContext context)
    {
        context.Features.Set(_inner);
        if (_requestBody is not null)
        {
            context.Request.Body = _requestBody;
        }
    }

    public void DisableBuffering() => _inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

    public Task CompleteAsync() => _inner.CompleteAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await _inner.SendFileAsync(path, offset, count, cancellationToken);
        Sent += count ?? new FileInfo(path).Length - offset;
    }
}
