using System.Collections.Concurrent;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Middleware.HardeningTests.Smuggling;

/// <summary>
/// A real Kestrel upstream that records every request it parsed off its socket (method, raw target, headers,
/// body) and answers 200 "ok": a smuggled request would show up here as a request the client never sent as such.
/// </summary>
internal sealed class RecordingUpstream : IAsyncDisposable
{
    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private TestUpstream? _upstream;

    public string Address => _upstream!.Address;

    public SeenRequest[] Seen => [.. _seen];

    /// <summary>The raw targets of every request received, in order.</summary>
    public string[] Targets => [.. _seen.Select(s => s.Target)];

    public static async Task<RecordingUpstream> StartAsync(RequestDelegate? respond = null)
    {
        var recorder = new RecordingUpstream();
        recorder._upstream = await TestUpstream.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            recorder._seen.Enqueue(new SeenRequest(
                context.Request.Method,
                context.Features.Get<IHttpRequestFeature>()!.RawTarget,
                HeaderRecordingUpstream.Snapshot(context.Request.Headers),
                System.Text.Encoding.Latin1.GetString(body.ToArray())));
            if (respond is null)
            {
                await context.Response.WriteAsync("ok");
            }
            else
            {
                await respond(context);
            }
        });
        return recorder;
    }

    public ValueTask DisposeAsync() => _upstream!.DisposeAsync();
}
