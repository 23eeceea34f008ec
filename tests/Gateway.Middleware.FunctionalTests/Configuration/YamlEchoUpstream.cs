using System.Text.Json;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// A real upstream that answers 200 with what it received as JSON (<see cref="Echo"/>: its name, method, the
/// request target as it arrived, <c>Host</c> and headers) and <c>x-upstream: name</c>, so every request
/// tells which upstream served it and what the gateway sent.
/// </summary>
public sealed class YamlEchoUpstream : IAsyncDisposable
{
    private readonly TestUpstream _upstream;
    private int _count;

    private YamlEchoUpstream(TestUpstream upstream, string name)
    {
        _upstream = upstream;
        Name = name;
    }

    public string Name { get; }

    public int Port => _upstream.Port;

    /// <summary>How many requests reached this upstream.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Starts the upstream. <paramref name="before"/> may answer the request itself (return true), e.g. to
    /// fail or stall; otherwise the echo is written.
    /// </summary>
    public static async Task<YamlEchoUpstream> StartAsync(string name, Func<HttpContext, int, Task<bool>>? before = null)
    {
        YamlEchoUpstream? echo = null;
        var upstream = await TestUpstream.StartAsync(async context =>
        {
            var count = Interlocked.Increment(ref echo!._count);
            context.Response.Headers["x-upstream"] = name;
            if (before is not null && await before(context, count))
            {
                return;
            }

            var answer = new Echo(
                name,
                context.Request.Method,
                context.Features.Get<IHttpRequestFeature>()!.RawTarget,
                context.Request.Host.Value ?? "",
                HeaderRecordingUpstream.Snapshot(context.Request.Headers));
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(answer));
        });
        echo = new YamlEchoUpstream(upstream, name);
        return echo;
    }

    /// <summary>Reads the echo of a 200 response.</summary>
    public static async Task<Echo> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"expected 200 from an upstream, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<Echo>(body)!;
    }

    public ValueTask DisposeAsync() => _upstream.DisposeAsync();

    /// <summary>What the upstream received.</summary>
    public sealed record Echo(string Upstream, string Method, string Target, string Host, Dictionary<string, string> Headers)
    {
        /// <summary>A request header's value (name case-insensitive), or null when the upstream did not get it.</summary>
        public string? Header(string name)
            => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
    }
}
