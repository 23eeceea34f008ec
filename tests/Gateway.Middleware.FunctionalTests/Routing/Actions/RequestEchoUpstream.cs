using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Middleware.FunctionalTests.Routing.Actions;

/// <summary>
/// An upstream that answers 200 with the request target exactly as it arrived (path and query, still
/// escaped) and records the headers of the last request; it counts what it received.
/// </summary>
public sealed class RequestEchoUpstream : IAsyncDisposable
{
    private readonly TestUpstream _upstream;
    private volatile Dictionary<string, string>? _seen;
    private int _count;

    private RequestEchoUpstream(TestUpstream upstream)
    {
        _upstream = upstream;
    }

    public string Address => _upstream.Address;

    /// <summary>The last request's headers (names case-insensitive, values comma-joined), or null.</summary>
    public Dictionary<string, string>? Seen => _seen;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Starts the upstream; <paramref name="respond"/> may add response headers before the echo is written.</summary>
    public static async Task<RequestEchoUpstream> StartAsync(string name = "echo", Action<HttpResponse>? respond = null)
    {
        RequestEchoUpstream? echo = null;
        var upstream = await TestUpstream.StartAsync(context =>
        {
            Interlocked.Increment(ref echo!._count);
            echo._seen = HeaderRecordingUpstream.Snapshot(context.Request.Headers);
            context.Response.Headers["x-upstream"] = name;
            respond?.Invoke(context.Response);
            return context.Response.WriteAsync(context.Features.Get<IHttpRequestFeature>()!.RawTarget);
        });
        echo = new RequestEchoUpstream(upstream);
        return echo;
    }

    public ValueTask DisposeAsync() => _upstream.DisposeAsync();
}
