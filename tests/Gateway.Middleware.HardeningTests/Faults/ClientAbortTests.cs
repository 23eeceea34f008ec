using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.HardeningTests.Faults;

/// <summary>
/// A client that goes away mid-request takes its upstream request with it within 1 s (issue #10), whether it closes
/// its HTTP/1.1 connection or resets its HTTP/2 stream, while waiting for headers, while uploading or while
/// downloading. The upstream sees <c>RequestAborted</c> (or, for an HTTP/1.1 upload cut short, its body read fails);
/// nothing is left running against it.
/// </summary>
public sealed class ClientAbortTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    public enum Phase
    {
        WaitingForHeaders,
        Upload,
        Download,
    }

    [Theory]
    [InlineData(Phase.WaitingForHeaders, false)]
    [InlineData(Phase.Upload, false)]
    [InlineData(Phase.Download, false)]
    [InlineData(Phase.WaitingForHeaders, true)]
    [InlineData(Phase.Upload, true)]
    [InlineData(Phase.Download, true)]
    public async Task ClientAborts_UpstreamRequestAbortedWithin1s(Phase phase, bool http2)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            try
            {
                await ServeAsync(context, phase, started);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or Microsoft.AspNetCore.Http.BadHttpRequestException)
            {
                // RequestAborted, or (an HTTP/1.1 upload cut short) the body read failing: either ends the upstream's work.
                aborted.TrySetResult(Stopwatch.GetTimestamp());
            }

            if (context.RequestAborted.IsCancellationRequested)
            {
                aborted.TrySetResult(Stopwatch.GetTimestamp());
            }
        });
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up")),
            http2 ? HttpProtocols.Http2 : HttpProtocols.Http1);

        long abortedAt;
        if (http2)
        {
            abortedAt = await AbortHttp2StreamAsync(gateway, phase, started.Task);
        }
        else
        {
            abortedAt = await CloseHttp1ConnectionAsync(gateway.Port, phase, started.Task);
        }

        var seenAt = await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var delay = Stopwatch.GetElapsedTime(abortedAt, seenAt);
        Assert.True(delay < Budget, $"the upstream saw the abort {delay.TotalMilliseconds:0} ms after the client left");
    }

    private static async Task ServeAsync(HttpContext context, Phase phase, TaskCompletionSource started)
    {
        var buffer = new byte[16 * 1024];
        switch (phase)
        {
            case Phase.WaitingForHeaders:
                started.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                break;
            case Phase.Upload:
                while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
                {
                    started.TrySetResult();
                }

                break;
            default:
                while (!context.RequestAborted.IsCancellationRequested)
                {
                    // Endless body: only an aborted request ends it.
                    await context.Response.Body.WriteAsync(buffer, context.RequestAborted);
                    started.TrySetResult();
                }

                break;
        }
    }

    private static async Task<long> CloseHttp1ConnectionAsync(int port, Phase phase, Task started)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var head = phase == Phase.Upload
            ? "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 100000000\r\n\r\n" + new string('x', 50_000)
            : "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        await started.WaitAsync(TimeSpan.FromSeconds(10));
        if (phase == Phase.Download)
        {
            var buffer = new byte[64 * 1024];
            var received = 0;
            while (received < 128 * 1024)
            {
                received += await socket.ReceiveAsync(buffer);
            }
        }

        var at = Stopwatch.GetTimestamp();
        socket.Close();
        return at;
    }

    private static async Task<long> AbortHttp2StreamAsync(GatewayHost gateway, Phase phase, Task started)
    {
        // One HTTP/2 connection stays open: only the stream is reset (RST_STREAM CANCEL), the connection lives on.
        using var client = gateway.CreateClient(HttpVersion.Version20);
        using var cancel = new CancellationTokenSource();
        using var request = new HttpRequestMessage(phase == Phase.Upload ? HttpMethod.Post : HttpMethod.Get, "/x")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = phase == Phase.Upload ? new EndlessContent() : null,
        };
        var sending = client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        await started.WaitAsync(TimeSpan.FromSeconds(10));
        if (phase == Phase.Download)
        {
            using var response = await sending;
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            var received = 0;
            while (received < 128 * 1024)
            {
                received += await body.ReadAsync(buffer);
            }

            var at = Stopwatch.GetTimestamp();
            await cancel.CancelAsync();
            return at;
        }

        var abortedAt = Stopwatch.GetTimestamp();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        return abortedAt;
    }

    /// <summary>An upload that never ends on its own.</summary>
    private sealed class EndlessContent : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var chunk = new byte[16 * 1024];
            while (true)
            {
                await stream.WriteAsync(chunk, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                await Task.Delay(1, cancellationToken);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
