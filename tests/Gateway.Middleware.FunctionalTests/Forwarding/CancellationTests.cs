using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>A client that goes away takes its upstream request with it, at once.</summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task Forward_ClientAbortsBeforeResponse_UpstreamRequestIsCancelled()
    {
        var upstreamStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            upstreamStarted.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                upstreamCancelled.TrySetResult();
            }
        });
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream);

        using (var socket = await SendHeadAsync(gateway.Port, "GET /wait HTTP/1.1\r\nHost: a\r\n\r\n"))
        {
            await upstreamStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        // The client socket is closed: the upstream must see its request aborted well before its 60 s wait.
        await upstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Forward_ClientAbortsDuringUpload_UpstreamBodyReadFails()
    {
        var upstreamStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstreamFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            var buffer = new byte[1024];
            try
            {
                while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
                {
                    upstreamStarted.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
            {
                upstreamFailed.TrySetResult();
            }
        });
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream);

        using (var socket = await SendHeadAsync(gateway.Port, "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n" + new string('x', 5000)))
        {
            await upstreamStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await upstreamFailed.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Forward_ClientAbortsDuringDownload_UpstreamWriteIsCancelled()
    {
        var upstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            var chunk = new byte[16 * 1024];
            try
            {
                // Endless body: only a cancelled request ends this loop.
                while (true)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                upstreamCancelled.TrySetResult();
            }
        });
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream);

        using (var socket = await SendHeadAsync(gateway.Port, "GET /endless HTTP/1.1\r\nHost: a\r\n\r\n"))
        {
            var buffer = new byte[64 * 1024];
            var received = 0;
            while (received < 256 * 1024)
            {
                received += await socket.ReceiveAsync(buffer);
            }
        }

        await upstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task<Socket> SendHeadAsync(int port, string request)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        return socket;
    }
}
