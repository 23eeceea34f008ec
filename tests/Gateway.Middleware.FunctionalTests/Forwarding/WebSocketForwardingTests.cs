using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>
/// WebSockets through the gateway on real sockets. The upstream always speaks the HTTP/1.1 Upgrade
/// (RFC 6455 §4); the client uses either the same or HTTP/2 extended CONNECT (RFC 8441), and the gateway
/// tunnels the frames unchanged.
/// </summary>
public sealed class WebSocketForwardingTests
{
    private const string SubProtocol = "echo.v1";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WebSocket_Http11TextAndOneMegabyteBinary_EchoedThenClosedNormallyOnBothSides()
    {
        var seen = new UpstreamSide();
        await using var upstream = await StartUpstreamAsync(seen);
        await using var gateway = await StartGatewayAsync(upstream, HttpProtocols.Http1);
        using var cancellation = new CancellationTokenSource(Deadline);
        using var client = CreateClient(http2: false);

        await client.ConnectAsync(WebSocketUri(gateway, "/ws"), cancellation.Token);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, client.HttpStatusCode);
        // The upstream's choice of subprotocol (Sec-WebSocket-Protocol) reaches the client.
        Assert.Equal(SubProtocol, client.SubProtocol);

        var sent = await EchoMessagesAsync(client, cancellation.Token);

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellation.Token);
        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal("bye", client.CloseStatusDescription);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await seen.CloseStatus.Task.WaitAsync(Deadline));
        Assert.Equal("done", seen.CloseDescription);
        Assert.Equal(sent, seen.Messages);
        Assert.Equal("HTTP/1.1", seen.Protocol);
    }

    [Fact]
    public async Task WebSocket_Http2ExtendedConnectOverH2c_EchoedThenClosedNormallyOnBothSides()
    {
        var seen = new UpstreamSide();
        await using var upstream = await StartUpstreamAsync(seen);
        await using var gateway = await StartGatewayAsync(upstream, HttpProtocols.Http2);
        using var cancellation = new CancellationTokenSource(Deadline);
        using var client = CreateClient(http2: true);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false });

        await client.ConnectAsync(WebSocketUri(gateway, "/ws"), invoker, cancellation.Token);
        // RFC 8441 §5: an extended CONNECT is accepted with 200, not 101.
        Assert.Equal(HttpStatusCode.OK, client.HttpStatusCode);
        Assert.Equal(SubProtocol, client.SubProtocol);

        var sent = await EchoMessagesAsync(client, cancellation.Token);

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellation.Token);
        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal("bye", client.CloseStatusDescription);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await seen.CloseStatus.Task.WaitAsync(Deadline));
        Assert.Equal("done", seen.CloseDescription);
        Assert.Equal(sent, seen.Messages);
        // The gateway turned the extended CONNECT into an HTTP/1.1 Upgrade upstream.
        Assert.Equal("HTTP/1.1", seen.Protocol);
    }

    [Theory]
    [InlineData(false, "/refuse-400", HttpStatusCode.BadRequest)]
    [InlineData(false, "/refuse-404", HttpStatusCode.NotFound)]
    [InlineData(true, "/refuse-400", HttpStatusCode.BadRequest)]
    [InlineData(true, "/refuse-404", HttpStatusCode.NotFound)]
    public async Task WebSocket_UpstreamRefusesUpgrade_ClientGetsUpstreamStatus(bool http2, string path, HttpStatusCode status)
    {
        var seen = new UpstreamSide();
        await using var upstream = await StartUpstreamAsync(seen);
        await using var gateway = await StartGatewayAsync(upstream, http2 ? HttpProtocols.Http2 : HttpProtocols.Http1);
        using var cancellation = new CancellationTokenSource(Deadline);
        using var client = CreateClient(http2);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false });

        var exception = await Assert.ThrowsAsync<WebSocketException>(
            () => client.ConnectAsync(WebSocketUri(gateway, path), invoker, cancellation.Token));

        Assert.Equal(status, client.HttpStatusCode);
        Assert.NotNull(client.HttpResponseHeaders);
        // The upstream's own answer, not one the gateway made up.
        Assert.True(client.HttpResponseHeaders.TryGetValue("x-refused-by", out var refusedBy), exception.Message);
        Assert.Equal(["upstream"], refusedBy);
        Assert.Equal(WebSocketState.Closed, client.State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WebSocket_ClientAborts_UpstreamReceiveEndsWithinDeadline(bool http2)
    {
        var seen = new UpstreamSide();
        await using var upstream = await StartUpstreamAsync(seen);
        await using var gateway = await StartGatewayAsync(upstream, http2 ? HttpProtocols.Http2 : HttpProtocols.Http1);
        using var cancellation = new CancellationTokenSource(Deadline);
        using var client = CreateClient(http2);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false });
        await client.ConnectAsync(WebSocketUri(gateway, "/ws"), invoker, cancellation.Token);
        // One round trip first, so the tunnel is known to be up before it is cut.
        await SendTextAsync(client, "ping", cancellation.Token);
        var (type, echoed) = await ReceiveMessageAsync(client, cancellation.Token);
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal("ping", Encoding.UTF8.GetString(echoed));

        client.Abort();

        // No close frame ever reached the upstream: its ReceiveAsync fails because the connection ended.
        var ended = await seen.ReceiveEnded.Task.WaitAsync(Deadline);
        var webSocketError = Assert.IsType<WebSocketException>(ended);
        Assert.Equal(WebSocketError.ConnectionClosedPrematurely, webSocketError.WebSocketErrorCode);
        Assert.False(seen.CloseStatus.Task.IsCompleted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WebSocket_UpstreamAborts_ClientReceiveFailsWithinDeadline(bool http2)
    {
        var seen = new UpstreamSide();
        await using var upstream = await StartUpstreamAsync(seen);
        await using var gateway = await StartGatewayAsync(upstream, http2 ? HttpProtocols.Http2 : HttpProtocols.Http1);
        using var cancellation = new CancellationTokenSource(Deadline);
        using var client = CreateClient(http2);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false });
        await client.ConnectAsync(WebSocketUri(gateway, "/ws"), invoker, cancellation.Token);

        // The upstream drops its connection without a close frame when it reads "abort".
        await SendTextAsync(client, UpstreamSide.AbortMessage, cancellation.Token);

        // An abrupt end must never look like a clean close (RFC 6455 §7.1.5: 1006 is never sent).
        var exception = await Assert.ThrowsAsync<WebSocketException>(() => ReceiveMessageAsync(client, cancellation.Token));
        Assert.Equal(WebSocketError.ConnectionClosedPrematurely, exception.WebSocketErrorCode);
        Assert.False(cancellation.IsCancellationRequested);
        Assert.Null(client.CloseStatus);
    }

    private static Uri WebSocketUri(GatewayHost gateway, string path) => new($"ws://127.0.0.1:{gateway.Port}{path}");

    private static ClientWebSocket CreateClient(bool http2)
    {
        var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        client.Options.AddSubProtocol(SubProtocol);
        if (http2)
        {
            // h2c with prior knowledge; the client waits for SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3).
            client.Options.HttpVersion = HttpVersion.Version20;
            client.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }

    /// <summary>Sends text, binary and a 1 MB binary message; each must come back byte for byte.</summary>
    private static async Task<List<(WebSocketMessageType Type, int Length)>> EchoMessagesAsync(WebSocket client, CancellationToken cancellation)
    {
        var messages = new List<(WebSocketMessageType Type, byte[] Payload)>
        {
            (WebSocketMessageType.Text, Encoding.UTF8.GetBytes("hello")),
            (WebSocketMessageType.Text, Encoding.UTF8.GetBytes("grüße, 世界 ✓")),
            (WebSocketMessageType.Binary, [0, 1, 2, 255]),
            (WebSocketMessageType.Binary, RandomNumberGenerator.GetBytes(1024 * 1024)),
            (WebSocketMessageType.Text, Encoding.UTF8.GetBytes("last")),
        };

        foreach (var (type, payload) in messages)
        {
            // Receive while sending: a 1 MB echo must not depend on socket buffers to avoid a deadlock.
            var receive = ReceiveMessageAsync(client, cancellation);
            await client.SendAsync(payload.AsMemory(), type, endOfMessage: true, cancellation);
            var (echoedType, echoed) = await receive;
            Assert.Equal(type, echoedType);
            Assert.Equal(payload.Length, echoed.Length);
            Assert.True(payload.AsSpan().SequenceEqual(echoed), $"The {payload.Length}-byte {type} message came back altered.");
        }

        return [.. messages.Select(m => (m.Type, m.Payload.Length))];
    }

    private static Task SendTextAsync(WebSocket client, string text, CancellationToken cancellation)
        => client.SendAsync(Encoding.UTF8.GetBytes(text).AsMemory(), WebSocketMessageType.Text, endOfMessage: true, cancellation).AsTask();

    private static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync(WebSocket socket, CancellationToken cancellation)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellation);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"Expected a message, got a close frame ({socket.CloseStatus}).");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    private static Task<TestUpstream> StartUpstreamAsync(UpstreamSide seen)
        => TestUpstream.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Map("/ws", seen.EchoAsync);
            app.Map("/refuse-400", context => RefuseAsync(context, StatusCodes.Status400BadRequest));
            app.Map("/refuse-404", context => RefuseAsync(context, StatusCodes.Status404NotFound));
        });

    private static Task RefuseAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-refused-by"] = "upstream";
        return context.Response.WriteAsync("no websocket here");
    }

    private static Task<GatewayHost> StartGatewayAsync(TestUpstream upstream, HttpProtocols protocols)
        => GatewayHost.StartAsync(
            gateway => gateway
                .AddRoute("ws", r => r.RouteTo("ws"))
                .AddUpstream("ws", u => u.Endpoint(upstream.Address)),
            protocols);

    /// <summary>The upstream's echo endpoint and what it observed.</summary>
    private sealed class UpstreamSide
    {
        public const string AbortMessage = "abort";

        /// <summary>Completed with the close status of a close frame the upstream received.</summary>
        public TaskCompletionSource<WebSocketCloseStatus?> CloseStatus { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completed when the receive loop ends: null after a close frame, else what ReceiveAsync threw.</summary>
        public TaskCompletionSource<Exception?> ReceiveEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? CloseDescription { get; private set; }

        public string? Protocol { get; private set; }

        public ConcurrentQueue<(WebSocketMessageType Type, int Length)> Messages { get; } = new();

        public async Task EchoAsync(HttpContext context)
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            Protocol = context.Request.Protocol;
            var subProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol) ? SubProtocol : null;
            using var socket = await context.WebSockets.AcceptWebSocketAsync(subProtocol);
            var buffer = new byte[16 * 1024];
            var length = 0;
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        CloseDescription = socket.CloseStatusDescription;
                        CloseStatus.TrySetResult(socket.CloseStatus);
                        ReceiveEnded.TrySetResult(null);
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        return;
                    }

                    if (result.MessageType == WebSocketMessageType.Text && result.EndOfMessage
                        && buffer.AsSpan(0, result.Count).SequenceEqual(Encoding.UTF8.GetBytes(AbortMessage)))
                    {
                        context.Abort();
                        return;
                    }

                    // Echo frame by frame, so a large message streams back while it is still arriving.
                    await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
                    length += result.Count;
                    if (result.EndOfMessage)
                    {
                        Messages.Enqueue((result.MessageType, length));
                        length = 0;
                    }
                }
            }
            catch (Exception ex)
            {
                // Whatever ended the loop is what the test asserts on.
                ReceiveEnded.TrySetResult(ex);
            }
        }
    }
}
