namespace Gateway.Middleware.HardeningTests.Smuggling;

/// <summary>
/// Malformed HTTP/1.1 request heads over raw sockets: Kestrel's parser is the defence (RFC 9112 §2.2, §3, §3.2;
/// RFC 9110 §7.2) and answers 400 before the gateway runs, so nothing reaches the upstream; valid pipelined
/// requests are each forwarded once, in order.
/// </summary>
public sealed class MalformedRequestTests
{
    [Theory]
    [InlineData("missing Host", "GET / HTTP/1.1\r\n\r\n")]
    [InlineData("duplicate Host", "GET / HTTP/1.1\r\nHost: app.example.com\r\nHost: evil.example\r\n\r\n")]
    [InlineData("Host with userinfo", "GET / HTTP/1.1\r\nHost: app.example.com@evil.example\r\n\r\n")]
    [InlineData("Host with a space", "GET / HTTP/1.1\r\nHost: app.example.com evil.example\r\n\r\n")]
    [InlineData("Host with a path", "GET / HTTP/1.1\r\nHost: app.example.com/evil\r\n\r\n")]
    [InlineData("absolute-form target with another Host", "GET http://evil.example/x HTTP/1.1\r\nHost: app.example.com\r\n\r\n")]
    [InlineData("absolute-form target with another port", "GET http://app.example.com:81/x HTTP/1.1\r\nHost: app.example.com\r\n\r\n")]
    [InlineData("bare CR ending a header", "GET / HTTP/1.1\r\nHost: app.example.com\rX-A: b\r\n\r\n")]
    [InlineData("NUL in the target", "GET /a\0b HTTP/1.1\r\nHost: app.example.com\r\n\r\n")]
    [InlineData("two spaces in the request line", "GET  / HTTP/1.1\r\nHost: app.example.com\r\n\r\n")]
    [InlineData("trailing space after the version", "GET / HTTP/1.1 \r\nHost: app.example.com\r\n\r\n")]
    [InlineData("HTTP/0.9 request line", "GET /\r\n\r\n")]
    [InlineData("space before the first header", "GET / HTTP/1.1\r\n Host: app.example.com\r\n\r\n")]
    [InlineData("header without a colon", "GET / HTTP/1.1\r\nHost: app.example.com\r\nX-A\r\n\r\n")]
    [InlineData("non-token method", "G(T / HTTP/1.1\r\nHost: app.example.com\r\n\r\n")]
    public async Task Gateway_MalformedHead_Answers400AndForwardsNothing(string name, string request)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);

        var raw = await RawHttp.SendAsync(gateway.Port, request + RawHttp.Probe);

        Assert.True(RawHttp.StatusCodes(raw) is [400], $"{name}: {raw}");
        Assert.Empty(upstream.Seen);
    }

    [Theory]
    // Kestrel accepts these; the gateway refuses them (PathNormalizationMiddleware): RFC 9112 §3.2 allows no
    // control character in the request-target, and a proxy in front could split the request line at a bare CR.
    [InlineData("bare CR in the target", "GET /a\rb HTTP/1.1\r\nHost: app.example.com\r\n\r\n")]
    [InlineData("bare CR ending the target", "GET /\r HTTP/1.1\r\nHost: app.example.com\r\n\r\n")]
    [InlineData("TAB in the target", "GET /a\tb HTTP/1.1\r\nHost: app.example.com\r\n\r\n")]
    [InlineData("DEL in the target", "GET /a\u007Fb HTTP/1.1\r\nHost: app.example.com\r\n\r\n")]
    [InlineData("ESC in an absolute-form target", "GET http://app.example.com/a\u001Bb HTTP/1.1\r\nHost: app.example.com\r\n\r\n")]
    public async Task Gateway_ControlCharacterInTarget_Answers400AndForwardsNothing(string name, string request)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);

        var raw = await RawHttp.SendAsync(gateway.Port, request.Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal));

        Assert.True(RawHttp.StatusCodes(raw) is [400], $"{name}: {raw}");
        Assert.Empty(upstream.Seen);
    }

    [Theory]
    // RFC 9112 §2.2: a recipient MAY accept a bare LF as a line terminator; Kestrel does. RFC 9110 §5.5: other CTLs
    // in a field value MAY be retained. Both are forwarded as one well-framed request (the gateway re-serializes
    // the head), so nothing behind the gateway parses them differently.
    [InlineData("bare LF line endings", "GET / HTTP/1.1\nHost: app.example.com\n\n", "")]
    [InlineData("SOH in a header value", "GET / HTTP/1.1\r\nHost: app.example.com\r\nX-A: a\u0001b\r\n\r\n", "a\u0001b")]
    public async Task Gateway_LenientButUnambiguousHead_IsForwardedOnce(string name, string request, string xa)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);

        var raw = await RawHttp.SendAsync(gateway.Port, request + RawHttp.Probe);

        Assert.True(RawHttp.StatusCodes(raw) is [200, 200], $"{name}: {raw}");
        Assert.Equal(["/", "/probe"], upstream.Targets);
        Assert.Equal(xa, upstream.Seen[0].Headers.GetValueOrDefault("X-A", ""));
    }

    [Fact]
    public async Task Gateway_UnknownHttpVersion_Answers505()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);

        var raw = await RawHttp.SendAsync(gateway.Port, "GET / HTTP/1.2\r\nHost: app.example.com\r\n\r\n" + RawHttp.Probe);

        Assert.True(RawHttp.StatusCodes(raw) is [505], raw);
        Assert.Empty(upstream.Seen);
    }

    [Fact]
    public async Task Gateway_PipelinedValidRequests_AreEachForwardedOnceInOrder()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);

        var raw = await RawHttp.SendAsync(gateway.Port,
            "GET /a HTTP/1.1\r\nHost: app.example.com\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: app.example.com\r\nContent-Length: 3\r\n\r\nabc"
            + "POST /c HTTP/1.1\r\nHost: app.example.com\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
            + RawHttp.Probe);

        Assert.Equal([200, 200, 200, 200], RawHttp.StatusCodes(raw));
        Assert.Equal(["/a", "/b", "/c", "/probe"], upstream.Targets);
        Assert.Equal(["", "abc", "de", ""], upstream.Seen.Select(s => s.Body));
    }

    [Fact]
    public async Task Gateway_AbsoluteFormTargetMatchingHost_IsForwardedInOriginForm()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);

        var raw = await RawHttp.SendAsync(gateway.Port, "GET http://app.example.com/x?q=1 HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

        Assert.Equal([200], RawHttp.StatusCodes(raw));
        var seen = Assert.Single(upstream.Seen);
        Assert.Equal("/x?q=1", seen.Target);
        Assert.Equal("app.example.com", seen.Headers["Host"]);
    }

    [Fact]
    public async Task Gateway_Http10WithoutHost_IsForwardedWithoutInventingOne()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);

        var raw = await RawHttp.SendAsync(gateway.Port, "GET /old HTTP/1.0\r\n\r\n");

        Assert.Equal([200], RawHttp.StatusCodes(raw.Replace("HTTP/1.0 ", "HTTP/1.1 ", StringComparison.Ordinal)));
        Assert.Equal(["/old"], upstream.Targets);
    }
}
