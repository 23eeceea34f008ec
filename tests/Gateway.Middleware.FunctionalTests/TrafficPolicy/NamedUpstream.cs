using System.Collections.Concurrent;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.FunctionalTests.TrafficPolicy;

/// <summary>
/// A real upstream that answers with its name (<c>x-upstream</c> header and body) and a settable status; requests
/// to <c>/slow</c> wait at a gate the test opens.
/// </summary>
internal sealed class NamedUpstream : IAsyncDisposable
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestUpstream? _server;
    private int _status = StatusCodes.Status200OK;
    private int _count;
    private int _held;

    private NamedUpstream(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public string Address => _server!.Address;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Requests waiting at the gate right now.</summary>
    public int Held => Volatile.Read(ref _held);

    public int Status
    {
        get => Volatile.Read(ref _status);
        set => Volatile.Write(ref _status, value);
    }

    /// <summary>The connection id and <c>Connection</c> header of every request, in arrival order.</summary>
    public ConcurrentQueue<(string ConnectionId, string Connection)> Requests { get; } = new();

    public static async Task<NamedUpstream> StartAsync(string name)
    {
        var upstream = new NamedUpstream(name);
        upstream._server = await TestUpstream.StartAsync(upstream.HandleAsync);
        return upstream;
    }

    public static async Task<NamedUpstream[]> StartManyAsync(params string[] names)
    {
        var upstreams = new NamedUpstream[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            upstreams[i] = await StartAsync(names[i]);
        }

        return upstreams;
    }

    public static async ValueTask DisposeAllAsync(NamedUpstream[] upstreams)
    {
        foreach (var upstream in upstreams)
        {
            await upstream.DisposeAsync();
        }
    }

    /// <summary>The name of the upstream that answered, from the response.</summary>
    public static string AnsweredBy(HttpResponseMessage response)
        => response.Headers.TryGetValues("x-upstream", out var values) ? values.Single() : $"gateway {(int)response.StatusCode}";

    public void OpenGate() => _gate.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        OpenGate();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _count);
        Requests.Enqueue((context.Connection.Id, context.Request.Headers.Connection.ToString()));
        if (context.Request.Path.StartsWithSegments("/slow"))
        {
            Interlocked.Increment(ref _held);
            try
            {
                await _gate.Task.WaitAsync(context.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }

        context.Response.StatusCode = Status;
        context.Response.Headers["x-upstream"] = Name;
        await context.Response.WriteAsync(Name);
    }
}
