using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Testing;

public sealed partial class FakeUpstream
{
    private readonly List<FakeRequest> _requests = [];
    private TaskCompletionSource _arrived = NewSignal();
    private Func<HttpContext, Task>? _responder;

    /// <summary>Every request received so far, oldest first (a copy).</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>How many requests were received so far.</summary>
    public int RequestCount
    {
        get
        {
            lock (_requests)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>The most recent request, or <see langword="null"/> before the first one.</summary>
    public FakeRequest? LastRequest
    {
        get
        {
            lock (_requests)
            {
                return _requests.Count == 0 ? null : _requests[^1];
            }
        }
    }

    /// <summary>Forgets the requests received so far (the response stays as configured).</summary>
    public void Clear()
    {
        lock (_requests)
        {
            _requests.Clear();
        }
    }

    /// <summary>Answers every following request with <paramref name="statusCode"/> and an optional body.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="body">The body; <see langword="null"/> (default) sends none.</param>
    /// <param name="contentType">Its content type; default <c>text/plain; charset=utf-8</c>.</param>
    public void RespondWith(int statusCode, string? body = null, string contentType = "text/plain; charset=utf-8")
        => RespondWith(async context =>
        {
            context.Response.StatusCode = statusCode;
            if (body is not null)
            {
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            }
        });

    /// <summary>
    /// Answers every following request with <paramref name="handler"/> (after it was recorded; the request body
    /// can be read again). The <c>x-fake-upstream</c> header is set before it runs.
    /// </summary>
    /// <param name="handler">Writes the response.</param>
    public void RespondWith(Func<HttpContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Volatile.Write(ref _responder, handler);
    }

    /// <summary>Goes back to the default answer: 200 with a JSON body naming the upstream, subset and path.</summary>
    public void RespondWithDefault() => Volatile.Write(ref _responder, null);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(", ", header.Value.ToArray());
        }

        var certificate = context.Connection.ClientCertificate is { } presented
            ? X509CertificateLoader.LoadCertificate(presented.RawData)
            : null;
        TaskCompletionSource arrived;
        lock (_requests)
        {
            _requests.Add(new FakeRequest(_requests.Count + 1, request.Method, request.Path.ToUriComponent(), request.QueryString.Value ?? "", request.Host.Value ?? "", request.Protocol, request.Scheme, headers, body, certificate));
            arrived = _arrived;
            _arrived = NewSignal();
        }

        arrived.TrySetResult();
        context.Response.Headers[ResponseHeader] = Subset is null ? Upstream : $"{Upstream}/{Subset}";
        request.Body = new MemoryStream(body, writable: false);
        if (Volatile.Read(ref _responder) is { } responder)
        {
            await responder(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new DefaultAnswer(Upstream, Subset, request.Path.ToUriComponent()), FakeUpstreamJson.Default.DefaultAnswer), context.RequestAborted).ConfigureAwait(false);
    }
}
