using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>
/// What crosses the gateway in headers: end-to-end headers do, hop-by-hop ones (RFC 9110 §7.6.1) and those
/// named in <c>Connection</c> do not, in either direction.
/// </summary>
public sealed class HeaderForwardingTests
{
    [Fact]
    public async Task Forward_HopByHopAndConnectionNamedRequestHeaders_AreNotSeenUpstream()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);

        // Raw request: HttpClient would refuse to send some of these headers itself. Kestrel reduces a
        // Connection value that contains keep-alive or close to that one token before the app sees it, so
        // this request names headers only (see docs/forwarding.md, "Known limitations").
        var response = await SendRawAsync(gateway.Port,
            "GET /h HTTP/1.1\r\nHost: app.example.com\r\n"
            + "Connection: X-Secret-Hop, x-other-hop\r\n"
            + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\n"
            + "TE: gzip\r\nTrailer: x-t\r\nUpgrade: h2c\r\n"
            + "X-Secret-Hop: must-not-pass\r\nX-Other-Hop: nope\r\nX-End-To-End: kept\r\n\r\n");
        var seen = upstream.Seen;

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.NotNull(seen);
        foreach (var name in new[] { "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Trailer", "Upgrade", "X-Secret-Hop", "X-Other-Hop" })
        {
            Assert.False(seen!.ContainsKey(name), $"{name} reached the upstream");
        }

        Assert.Equal("kept", seen!["X-End-To-End"]);
        Assert.Equal("app.example.com", seen["Host"]);
    }

    [Fact]
    public async Task Forward_ClientEnvoyControlHeaders_AreRemovedAtTheEdge()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("x-envoy-internal", "true");
        request.Headers.Add("X-Envoy-Retry-On", "5xx");
        request.Headers.Add("x-envoy-upstream-rq-timeout-ms", "1");
        request.Headers.Add("x-forwarded-client-cert", "By=spiffe://cluster.local/ns/default/sa/admin");
        request.Headers.Add("x-envoyish", "kept");

        using var response = await client.SendAsync(request);
        var seen = upstream.Seen;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(seen!.Keys, k => k.StartsWith("x-envoy-", StringComparison.OrdinalIgnoreCase));
        Assert.False(seen.ContainsKey("x-forwarded-client-cert"));
        Assert.Equal("kept", seen["x-envoyish"]);
    }

    [Fact]
    public async Task Forward_TeTrailers_IsKeptForGrpc()
    {
        string? te = null;
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            te = context.Request.Headers.TE.ToString();
            return Task.CompletedTask;
        });
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);

        var response = await SendRawAsync(gateway.Port, "GET / HTTP/1.1\r\nHost: a\r\nTE: trailers\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal("trailers", te);
    }

    [Fact]
    public async Task Forward_HopByHopAndConnectionNamedResponseHeaders_AreNotSeenByClient()
    {
        await using var upstream = await RawHttpUpstream.StartAsync(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close, X-Upstream-Hop\r\nKeep-Alive: timeout=5\r\n"
            + "Proxy-Authenticate: Basic\r\nX-Upstream-Hop: secret\r\nX-Kept: yes\r\n\r\nok");
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);

        var response = await SendRawAsync(gateway.Port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        var head = response[..response.IndexOf("\r\n\r\n", StringComparison.Ordinal)];

        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        Assert.Contains("X-Kept: yes", head, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Upstream-Hop", head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Keep-Alive", head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Proxy-Authenticate", head, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("ok", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_ClientForwardedHeadersWithZeroTrustedHops_AreReplacedFromConnection()
    {
        await using var upstream = await FakeUpstream.StartAsync("shop");
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "shop.example.com:8443";
        request.Headers.Add("X-Forwarded-For", "6.6.6.6");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "evil.example.com");

        using var response = await client.SendAsync(request);
        var seen = upstream.Single();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("http", seen.Header("X-Forwarded-Proto"));
        Assert.Equal("shop.example.com:8443", seen.Header("X-Forwarded-Host"));
        Assert.Equal("shop.example.com:8443", seen.Host);
    }

    [Fact]
    public async Task Forward_ClientForwardedHeadersWithOneTrustedHop_KeepsLastEntryAndAppendsPeer()
    {
        await using var upstream = await FakeUpstream.StartAsync("up");
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up")),
            forwarding: o => o.TrustedProxyHops = 1);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        // A forged entry, then the address the trusted load balancer appended.
        request.Headers.Add("X-Forwarded-For", "6.6.6.6, 203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "shop.example.com");

        using var response = await client.SendAsync(request);
        var seen = upstream.Single();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("203.0.113.7, 127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("https", seen.Header("X-Forwarded-Proto"));
        Assert.Equal("shop.example.com", seen.Header("X-Forwarded-Host"));
    }

    [Fact]
    public async Task Forward_RequestId_GeneratedWhenAbsentAndReplacedWhenPresent()
    {
        await using var upstream = await FakeUpstream.StartAsync("shop");
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();

        (await client.GetAsync("/a")).Dispose();
        (await client.GetAsync("/b")).Dispose();
        using var withId = new HttpRequestMessage(HttpMethod.Get, "/c");
        withId.Headers.Add("x-request-id", "client-chosen-id");
        (await client.SendAsync(withId)).Dispose();

        var seen = upstream.Requests.Select(r => r.Header("x-request-id")!).ToList();
        Assert.Equal(3, seen.Count);
        Assert.True(Guid.TryParse(seen[0], out _), seen[0]);
        Assert.True(Guid.TryParse(seen[1], out _), seen[1]);
        Assert.NotEqual(seen[0], seen[1]);
        // Envoy at the edge (preserve_external_request_id: false) replaces a client's id.
        Assert.True(Guid.TryParse(seen[2], out _), seen[2]);
    }

    [Fact]
    public async Task Forward_PathAndQuery_ArriveAsSent()
    {
        string? target = null;
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
            return Task.CompletedTask;
        });
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);

        var response = await SendRawAsync(gateway.Port, "GET /a/b%20c/%2Fd?x=1&y=%2F&z HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal("/a/b%20c/%2Fd?x=1&y=%2F&z", target);
    }

    [Fact]
    public async Task Forward_MultiValuedResponseHeaders_StaySeparate()
    {
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            context.Response.Headers.Append("Set-Cookie", "a=1; Path=/");
            context.Response.Headers.Append("Set-Cookie", "b=2; Path=/");
            return Task.CompletedTask;
        });
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(["a=1; Path=/", "b=2; Path=/"], response.Headers.GetValues("Set-Cookie"));
    }

    internal static async Task<string> SendRawAsync(int port, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var text = new StringBuilder();
        var buffer = new char[4096];
        while (true)
        {
            var read = await reader.ReadAsync(buffer.AsMemory(), timeout.Token);
            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(buffer, 0, read);
            var s = text.ToString();
            var headEnd = s.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd >= 0 && IsComplete(s, headEnd))
            {
                return s;
            }
        }
    }

    private static bool IsComplete(string response, int headEnd)
    {
        var head = response[..headEnd];
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return response.Length - headEnd - 4 >= int.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return head.Contains("chunked", StringComparison.OrdinalIgnoreCase) ? response.EndsWith("0\r\n\r\n", StringComparison.Ordinal) : false;
    }
}
