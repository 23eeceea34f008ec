using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Middleware.HardeningTests.Smuggling;

namespace Gateway.Middleware.HardeningTests.Limits;

/// <summary>
/// Kestrel's request limits in front of the gateway, at their defaults (the gateway sets none of its own):
/// 100 headers and 32 KB of headers → 431, an 8 KB request line → 414, a body above
/// <c>MaxRequestBodySize</c> → 413; none of them reaches the upstream.
/// </summary>
public sealed class RequestLimitTests
{
    [Theory]
    [InlineData(90, 200)] // the gateway adds X-Forwarded-* and x-request-id: an upstream Kestrel counts those too
    [InlineData(100, 431)] // with Host: 101 headers, above Kestrel's default MaxRequestHeaderCount (100)
    public async Task Gateway_HeaderCount_DefaultLimitAnswers431(int extraHeaders, int expected)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await LimitedGateway.StartAsync(upstream.Address, limits: null);
        var head = new StringBuilder("GET / HTTP/1.1\r\nHost: app.example.com\r\n");
        for (var i = 0; i < extraHeaders; i++)
        {
            head.Append("X-H").Append(i).Append(": v\r\n");
        }

        var raw = await RawHttp.SendAsync(gateway.Port, head + "\r\n" + RawHttp.Probe);

        Assert.Equal(expected, RawHttp.StatusCodes(raw)[0]);
        Assert.Equal(expected == 200 ? 2 : 0, upstream.Seen.Length);
    }

    [Theory]
    [InlineData(30 * 1024, 200)]
    [InlineData(33 * 1024, 431)] // Kestrel's default MaxRequestHeadersTotalSize: 32 KB
    public async Task Gateway_HeaderSize_DefaultLimitAnswers431(int valueLength, int expected)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await LimitedGateway.StartAsync(upstream.Address, limits: null);

        var raw = await RawHttp.SendAsync(gateway.Port, $"GET / HTTP/1.1\r\nHost: app.example.com\r\nX-Big: {new string('a', valueLength)}\r\nConnection: close\r\n\r\n");

        Assert.Equal([expected], RawHttp.StatusCodes(raw));
        Assert.Equal(expected == 200 ? 1 : 0, upstream.Seen.Length);
    }

    [Theory]
    [InlineData(8 * 1024 - 100, 200)]
    [InlineData(9 * 1024, 414)] // Kestrel's default MaxRequestLineSize: 8 KB
    public async Task Gateway_RequestLine_DefaultLimitAnswers414(int pathLength, int expected)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await LimitedGateway.StartAsync(upstream.Address, limits: null);

        var raw = await RawHttp.SendAsync(gateway.Port, $"GET /{new string('a', pathLength)} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

        Assert.Equal([expected], RawHttp.StatusCodes(raw));
        Assert.Equal(expected == 200 ? 1 : 0, upstream.Seen.Length);
    }

    [Theory]
    [InlineData("Content-Length: 1024\r\n", 1024, 200)]
    [InlineData("Content-Length: 1025\r\n", 1025, 413)]
    [InlineData("Transfer-Encoding: chunked\r\n", 1000, 200)]
    [InlineData("Transfer-Encoding: chunked\r\n", 1025, 413)]
    public async Task Gateway_BodyAboveMaxRequestBodySize_Answers413AndTheUpstreamGetsNoRequest(string framing, int length, int expected)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await LimitedGateway.StartAsync(upstream.Address, l => l.MaxRequestBodySize = 1024);
        var body = new string('b', length);
        var chunked = framing.StartsWith("Transfer", StringComparison.Ordinal);

        var raw = await RawHttp.SendAsync(gateway.Port,
            $"POST /up HTTP/1.1\r\nHost: app.example.com\r\n{framing}Connection: close\r\n\r\n"
            + (chunked ? $"{length:x}\r\n{body}\r\n0\r\n\r\n" : body));

        Assert.Equal([expected], RawHttp.StatusCodes(raw));
        if (expected == 200)
        {
            Assert.Equal(body, Assert.Single(upstream.Seen).Body);
        }
        else
        {
            Assert.Empty(upstream.Seen);
        }
    }

    [Fact]
    public async Task Gateway_DefaultMaxRequestBodySize_IsKestrels30MB()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await LimitedGateway.StartAsync(upstream.Address, limits: null);

        // Declared, not sent: Kestrel refuses a Content-Length above the limit before reading any of the body.
        var raw = await RawHttp.SendAsync(gateway.Port, $"POST /up HTTP/1.1\r\nHost: app.example.com\r\nContent-Length: {30_000_001}\r\nConnection: close\r\n\r\nxyz");

        Assert.Equal([413], RawHttp.StatusCodes(raw));
        Assert.Empty(upstream.Seen);
    }

    internal static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return socket;
    }
}
