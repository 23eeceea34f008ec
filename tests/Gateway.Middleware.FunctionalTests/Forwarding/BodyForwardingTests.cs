using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>Bodies cross the gateway byte for byte, in both directions, with their framing kept.</summary>
public sealed class BodyForwardingTests
{
    [Theory]
    [InlineData("GET", 0)]
    [InlineData("POST", 1)]
    [InlineData("POST", 300_000)]
    [InlineData("PUT", 70_000)]
    [InlineData("PATCH", 12)]
    [InlineData("DELETE", 5)]
    public async Task Forward_MethodWithBody_UpstreamReceivesSameBytesAndClientReceivesUpstreamBytes(string method, int size)
    {
        string? seenMethod = null;
        string? seenSha = null;
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            seenMethod = context.Request.Method;
            var received = await ReadAllAsync(context.Request.Body);
            seenSha = Convert.ToHexString(SHA256.HashData(received));
            // Answer with a different body derived from the request, so both directions are checked.
            var answer = new byte[received.Length + 3];
            received.CopyTo(answer, 3);
            answer[0] = 1;
            answer[1] = 2;
            answer[2] = 3;
            await context.Response.Body.WriteAsync(answer);
        });
        await using var gateway = await StartGatewayAsync(upstream);
        using var client = gateway.CreateClient();

        var payload = RandomNumberGenerator.GetBytes(size);
        using var request = new HttpRequestMessage(new HttpMethod(method), "/echo");
        if (size > 0)
        {
            request.Content = new ByteArrayContent(payload);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(method, seenMethod);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(payload)), seenSha);
        Assert.Equal(size + 3, body.Length);
        Assert.Equal(payload, body[3..]);
    }

    [Fact]
    public async Task Forward_ChunkedRequestBody_UpstreamReceivesChunkedWithoutContentLength()
    {
        string? transferEncoding = null;
        long? contentLength = -1;
        byte[] received = [];
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            transferEncoding = context.Request.Headers.TransferEncoding.ToString();
            contentLength = context.Request.ContentLength;
            received = await ReadAllAsync(context.Request.Body);
        });
        await using var gateway = await StartGatewayAsync(upstream);
        using var client = gateway.CreateClient();

        var payload = RandomNumberGenerator.GetBytes(100_000);
        using var content = new StreamContent(new NonSeekableStream(payload));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chunked", transferEncoding);
        Assert.Null(contentLength);
        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task Forward_ContentLengthRequest_UpstreamReceivesSameContentLength()
    {
        long? contentLength = null;
        string? transferEncoding = null;
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            contentLength = context.Request.ContentLength;
            transferEncoding = context.Request.Headers.TransferEncoding.ToString();
            await ReadAllAsync(context.Request.Body);
        });
        await using var gateway = await StartGatewayAsync(upstream);
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("/x", new ByteArrayContent(new byte[4321]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4321, contentLength);
        Assert.Equal("", transferEncoding);
    }

    [Fact]
    public async Task Forward_EmptyPost_UpstreamSeesContentLengthZero()
    {
        string? contentLength = null;
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            contentLength = context.Request.Headers["Content-Length"].ToString();
            return Task.CompletedTask;
        });
        await using var gateway = await StartGatewayAsync(upstream);
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("/x", new ByteArrayContent([]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", contentLength);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Forward_ResponseFraming_ClientSeesUpstreamFraming(bool withContentLength)
    {
        var payload = RandomNumberGenerator.GetBytes(50_000);
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            if (withContentLength)
            {
                context.Response.ContentLength = payload.Length;
            }

            await context.Response.Body.WriteAsync(payload.AsMemory(0, 10_000));
            await context.Response.Body.FlushAsync();
            await context.Response.Body.WriteAsync(payload.AsMemory(10_000));
        });
        await using var gateway = await StartGatewayAsync(upstream);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/x", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(withContentLength ? payload.Length : null, response.Content.Headers.ContentLength);
        Assert.Equal(!withContentLength, response.Headers.TransferEncodingChunked == true);
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Forward_StreamingResponse_ClientReadsFirstChunkBeforeUpstreamFinishes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            await context.Response.WriteAsync("first;");
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await context.Response.WriteAsync("second");
        });
        await using var gateway = await StartGatewayAsync(upstream);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // The gateway did not wait for the whole body: the first chunk arrived while the upstream is blocked.
        Assert.Equal("first;", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        release.SetResult();
        using var reader = new StreamReader(stream);
        Assert.Equal("second", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Forward_UpstreamSendsHeadersThenWaits_ClientGetsHeadersBeforeBody()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            context.Response.Headers["x-early"] = "yes";
            await context.Response.StartAsync();
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await context.Response.WriteAsync("body");
        });
        await using var gateway = await StartGatewayAsync(upstream);
        using var client = gateway.CreateClient();

        // Headers arrive while the upstream still holds its body (server-sent events, long polls).
        using var response = await client.GetAsync("/sse", HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("yes", Assert.Single(response.Headers.GetValues("x-early")));

        release.SetResult();
        Assert.Equal("body", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_ResponseTrailersOverHttp2_ClientReceivesTrailers()
    {
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            context.Response.DeclareTrailer("x-checksum");
            await context.Response.WriteAsync("payload");
            context.Response.AppendTrailer("x-checksum", "abc123");
        }, Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint(upstream.Address).Protocol(Upstreams.UpstreamProtocol.Http2))
                  .AddRoute("all", r => r.RouteTo("up")),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        using var client = gateway.CreateClient(HttpVersion.Version20);

        using var response = await client.GetAsync("/t");
        Assert.Equal("payload", await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.True(response.TrailingHeaders.TryGetValues("x-checksum", out var values));
        Assert.Equal("abc123", Assert.Single(values));
    }

    [Fact]
    public async Task Forward_ChunkedHttp1UpstreamTrailers_Http2ClientReceivesTrailers()
    {
        // Kestrel cannot emit HTTP/1.1 trailers, so this upstream speaks raw chunked HTTP/1.1.
        await using var upstream = await RawHttpUpstream.StartAsync(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: x-checksum\r\nContent-Type: text/plain\r\n\r\n"
            + "7\r\npayload\r\n0\r\nx-checksum: abc123\r\n\r\n");
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up")),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        using var client = gateway.CreateClient(HttpVersion.Version20);

        using var response = await client.GetAsync("/t");

        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        Assert.True(response.TrailingHeaders.TryGetValues("x-checksum", out var values));
        Assert.Equal("abc123", Assert.Single(values));
        // "Trailer" announces trailers on one hop; it is not forwarded.
        Assert.False(response.Headers.Contains("Trailer"));
    }

    internal static Task<GatewayHost> StartGatewayAsync(TestUpstream upstream) => StartGatewayAsync(upstream.Address);

    internal static Task<GatewayHost> StartGatewayAsync(string upstreamAddress)
        => GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstreamAddress))
            .AddRoute("all", r => r.RouteTo("up")));

    internal static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>A body whose length HttpClient cannot know, so it is sent chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
