using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.FunctionalTests.Infrastructure;

/// <summary>An upstream that answers 200 and records the headers of the last request it received.</summary>
public sealed class HeaderRecordingUpstream : IAsyncDisposable
{
    private readonly TestUpstream _upstream;
    private volatile Dictionary<string, string>? _seen;

    private HeaderRecordingUpstream(TestUpstream upstream)
    {
        _upstream = upstream;
    }

    public string Address => _upstream.Address;

    /// <summary>The last request's headers (names case-insensitive), or null before the first request.</summary>
    public Dictionary<string, string>? Seen => _seen;

    public static async Task<HeaderRecordingUpstream> StartAsync()
    {
        HeaderRecordingUpstream? recorder = null;
        var upstream = await TestUpstream.StartAsync(context =>
        {
            recorder!._seen = Snapshot(context.Request.Headers);
            return Task.CompletedTask;
        });
        recorder = new HeaderRecordingUpstream(upstream);
        return recorder;
    }

    /// <summary>Copies request headers: Kestrel reuses the collection once the request ends.</summary>
    public static Dictionary<string, string> Snapshot(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            copy[header.Key] = header.Value.ToString();
        }

        return copy;
    }

    public ValueTask DisposeAsync() => _upstream.DisposeAsync();
}
