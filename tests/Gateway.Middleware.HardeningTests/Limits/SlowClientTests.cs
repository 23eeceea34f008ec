using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Gateway.Middleware.HardeningTests.Smuggling;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Middleware.HardeningTests.Limits;

/// <summary>
/// Slowloris-style clients: a head sent slower than <c>RequestHeadersTimeout</c> or a body slower than
/// <c>MinRequestBodyDataRate</c> is cut off by Kestrel (408) and the connection closed; the test shortens both
/// (defaults 30 s and 240 B/s after a 5 s grace period).
/// </summary>
public sealed class SlowClientTests
{
    [Fact]
    public async Task Gateway_HeadNeverFinished_TimesOutWith408()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await LimitedGateway.StartAsync(upstream.Address, l => l.RequestHeadersTimeout = TimeSpan.FromSeconds(1));
        using var socket = await RequestLimitTests.ConnectAsync(gateway.Port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var clock = Stopwatch.StartNew();

        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: app.example.com\r\nX-Slow: a"));
        var raw = await RawHttp.ReadToCloseAsync(stream, TimeSpan.FromSeconds(10));

        Assert.Equal([408], RawHttp.StatusCodes(raw));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Empty(upstream.Seen);
    }

    [Fact]
    public async Task Gateway_BodyTooSlow_IsCutOffAndTheUpstreamGetsNoCompleteRequest()
    {
        var upstreamStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await LimitedGateway.StartAsync(upstream.Address, l =>
            l.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1000, gracePeriod: TimeSpan.FromSeconds(1.5)));
        using var socket = await RequestLimitTests.ConnectAsync(gateway.Port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var clock = Stopwatch.StartNew();

        // 10 bytes of a declared 100 000, then nothing: far below 1000 B/s once the grace period ends.
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /up HTTP/1.1\r\nHost: app.example.com\r\nContent-Length: 100000\r\n\r\n0123456789"));
        var raw = await RawHttp.ReadToCloseAsync(stream, TimeSpan.FromSeconds(15));

        // Kestrel answers 408 when the response has not started, else aborts the connection.
        Assert.True(RawHttp.StatusCodes(raw) is [408] or [], raw);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Empty(upstream.Seen);
    }
}
