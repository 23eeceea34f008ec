using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Middleware.FunctionalTests.Infrastructure;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>
/// RFC 9110 §7.6.1 over real Kestrel: a header the client names in <c>Connection</c> beside <c>keep-alive</c> or
/// <c>close</c> is hop-by-hop and never reaches the upstream (Kestrel would otherwise reduce the value to that
/// one token before the gateway sees it), and the connection keeps or closes as the client asked.
/// </summary>
public sealed class ConnectionHeaderTokensTests
{
    [Theory]
    [InlineData("keep-alive, X-Secret-Hop")]
    [InlineData("X-Secret-Hop, Keep-Alive")]
    [InlineData("close, X-Secret-Hop")]
    public async Task Forward_HeaderNamedBesideAConnectionOption_NotSeenUpstream(string connection)
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);

        var response = await HeaderForwardingTests.SendRawAsync(gateway.Port,
            $"GET / HTTP/1.1\r\nHost: a\r\nConnection: {connection}\r\nX-Secret-Hop: must-not-pass\r\nX-End-To-End: kept\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.False(upstream.Seen!.ContainsKey("X-Secret-Hop"));
        Assert.False(upstream.Seen.ContainsKey("Connection"));
        Assert.Equal("kept", upstream.Seen["X-End-To-End"]);
    }

    [Fact]
    public async Task KeepAliveWithNamedHeader_ConnectionStaysOpenForTheNextRequest()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);

        // Two requests on one connection; the second closes it so the raw reader sees the end.
        var response = await SendUntilClosedAsync(gateway.Port,
            "GET /1 HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Secret-Hop\r\nX-Secret-Hop: 1\r\n\r\n"
            + "GET /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX-End-To-End: kept\r\n\r\n");

        Assert.Equal(2, response.Split("HTTP/1.1 200", StringSplitOptions.None).Length - 1);
        Assert.Equal("kept", upstream.Seen!["X-End-To-End"]);
    }

    [Fact]
    public async Task CloseWithNamedHeader_ConnectionClosedAfterTheResponse()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);

        // Read until the server closes: this returns only if "close" still closes the connection.
        var response = await SendUntilClosedAsync(gateway.Port,
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: close, X-Secret-Hop\r\nX-Secret-Hop: 1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains("Connection: close", response, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> SendUntilClosedAsync(int port, string requests)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(requests));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
