using Gateway.Middleware.Builder;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.HardeningTests.Smuggling;

/// <summary>
/// Request smuggling over raw sockets (RFC 9112 §6.3, §11.2; PortSwigger's CL.TE / TE.CL / TE.TE classes): every
/// attack ends with a request for <c>/smuggled</c> hidden where a proxy and an upstream that frame the message
/// differently would each see a different request, followed by a pipelined <see cref="RawHttp.Probe"/> that
/// completes anything left open. The upstream is a real Kestrel that records every request it parsed: it must
/// never see <c>/smuggled</c>, and sees exactly the requests the gateway answered for.
/// </summary>
public sealed class RequestSmugglingTests
{
    private const string Smuggled = "GET /smuggled HTTP/1.1\r\nHost: app.example.com\r\nX-Ignore: ";

    public static TheoryData<string, string, string> Attacks => new()
    {
        // name, request head lines after the request line (each ending \r\n) + "\r\n" + body, expected: "400" or
        // "ok:<body the upstream received>".
        // CL.TE: Transfer-Encoding wins over Content-Length (RFC 9112 §6.3 rule 3); the connection closes after.
        { "CL+TE", "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "ok-close:abc" },
        { "TE+CL order", "Transfer-Encoding: chunked\r\nContent-Length: 100\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "ok-close:abc" },
        { "TE 'chunked ' trailing space", "Content-Length: 6\r\nTransfer-Encoding: chunked \r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "ok-close:abc" },
        { "TE '\\tchunked' leading tab", "Content-Length: 6\r\nTransfer-Encoding:\tchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "ok-close:abc" },
        { "TE 'Chunked' case", "Content-Length: 6\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "ok-close:abc" },
        { "TE 'identity, chunked'", "Content-Length: 6\r\nTransfer-Encoding: identity, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "ok-close:abc" },
        // TE.TE: a coding list whose last coding is not chunked cannot be framed (RFC 9112 §6.3 rule 4): 400.
        { "TE 'chunked, identity'", "Content-Length: 6\r\nTransfer-Encoding: chunked, identity\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        { "TE 'xchunked'", "Content-Length: 6\r\nTransfer-Encoding: xchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        { "TE 'chunked' then 'identity' headers", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        { "TE 'identity' without CL", "Transfer-Encoding: identity\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        { "TE obs-fold", "Content-Length: 6\r\nTransfer-Encoding:\r\n chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        { "TE name with space before colon", "Content-Length: 6\r\nTransfer-Encoding : chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        // Content-Length that is not one decimal number (RFC 9112 §6.3 rule 5).
        // Kestrel reads "+5" as 5 (RFC 9112 wants 400; Envoy answers 400). The gateway re-frames the body with
        // "Content-Length: 5", so gateway and upstream agree; what follows is parsed by the gateway as the next request
        // (here an invalid one: the probe's Host makes its Host header a duplicate) and answered 400 without forwarding.
        { "CL '+5' (Kestrel lenient)", "Content-Length: +5\r\n\r\nhello" + Smuggled, "lenient:hello" },
        { "CL '-1'", "Content-Length: -1\r\n\r\nhello" + Smuggled, "400" },
        { "CL '5, 5'", "Content-Length: 5, 5\r\n\r\nhello" + Smuggled, "400" },
        { "CL '5,6'", "Content-Length: 5,6\r\n\r\nhello" + Smuggled, "400" },
        { "CL twice", "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!" + Smuggled, "400" },
        { "CL twice same value", "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello" + Smuggled, "400" },
        { "CL hex", "Content-Length: 0x5\r\n\r\nhello" + Smuggled, "400" },
        { "CL obs-fold", "Content-Length:\r\n 5\r\n\r\nhello" + Smuggled, "400" },
        // Line endings and control characters (RFC 9112 §2.2, RFC 9110 §5.5).
        { "obs-fold in a header", "X-A: a\r\n b\r\nContent-Length: 5\r\n\r\nhello" + Smuggled, "400" },
        { "bare CR in a header value", "X-A: a\rContent-Length: 5\r\n\r\nhello" + Smuggled, "400" },
        { "NUL in a header value", "X-A: a\0b\r\nContent-Length: 5\r\n\r\nhello" + Smuggled, "400" },
        { "NUL in a header name", "X-\0A: a\r\nContent-Length: 5\r\n\r\nhello" + Smuggled, "400" },
        { "space in a header name", "X A: a\r\nContent-Length: 5\r\n\r\nhello" + Smuggled, "400" },
        // Chunk framing tricks.
        { "chunk extension", "Transfer-Encoding: chunked\r\n\r\n3;ext=\"v\";x\r\nabc\r\n0\r\n\r\n", "ok:abc" },
        { "chunk extension with bare LF", "Transfer-Encoding: chunked\r\n\r\n3;ext=\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        { "bare LF after chunk size", "Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        { "chunk size 0x3", "Transfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        { "chunk size overflowing 64 bits", "Transfer-Encoding: chunked\r\n\r\n10000000000000003\r\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        { "chunk size with leading space", "Transfer-Encoding: chunked\r\n\r\n 3\r\nabc\r\n0\r\n\r\n" + Smuggled, "400" },
        { "chunk data longer than its size", "Transfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n" + Smuggled, "400" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Gateway_SmugglingAttempt_IsRejectedOrForwardedAsOneRequest(string name, string rest, string expected)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address);

        var raw = await RawHttp.SendAsync(gateway.Port, "POST / HTTP/1.1\r\nHost: app.example.com\r\n" + rest + RawHttp.Probe);

        var codes = RawHttp.StatusCodes(raw);
        Assert.DoesNotContain("/smuggled", upstream.Targets);
        if (expected == "400")
        {
            Assert.True(codes is [400], $"{name}: expected one 400, got [{string.Join(',', codes)}]: {raw}");
            Assert.Empty(upstream.Seen);
        }
        else if (expected.StartsWith("lenient:", StringComparison.Ordinal))
        {
            Assert.True(codes is [200, 400], $"{name}: got [{string.Join(',', codes)}]: {raw}");
            Assert.Equal(["/"], upstream.Targets);
            Assert.Equal(expected["lenient:".Length..], upstream.Seen[0].Body);
            Assert.Equal("5", upstream.Seen[0].Headers["Content-Length"]);
        }
        else
        {
            // "ok-close": the message was framed by Transfer-Encoding and the connection closed after the answer,
            // so nothing after the body (the smuggled head, the probe) was read as a request.
            var close = expected.StartsWith("ok-close:", StringComparison.Ordinal);
            var body = expected[(expected.IndexOf(':', StringComparison.Ordinal) + 1)..];
            Assert.True(codes is [200] || (!close && codes is [200, 200]), $"{name}: got [{string.Join(',', codes)}]: {raw}");
            Assert.Equal(close ? ["/"] : ["/", "/probe"], upstream.Targets);
            Assert.Equal(body, upstream.Seen[0].Body);
            Assert.False(upstream.Seen[0].Headers.ContainsKey("Transfer-Encoding") && upstream.Seen[0].Headers.ContainsKey("Content-Length"));
        }
    }

    internal static Task<GatewayHost> StartGatewayAsync(string upstream, Action<IGatewayBuilder>? configure = null)
        => GatewayHost.StartAsync(g =>
        {
            g.AddUpstream("svc", u => u.Endpoint(upstream)).AddRoute("all", r => r.Hosts("*").RouteTo("svc"));
            configure?.Invoke(g);
        });
}
