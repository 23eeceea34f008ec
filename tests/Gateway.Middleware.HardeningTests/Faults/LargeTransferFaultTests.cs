using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Gateway.Middleware.HardeningTests.Faults;

/// <summary>
/// Big bodies and slow readers (issue #10): a transfer in each direction with the managed heap and the resident set
/// flat (the gateway streams, it never holds a body), and a client that reads slowly holding the upstream back
/// (backpressure end to end) instead of the gateway buffering for it. The size is issue #10's 1 GB each way (about 9 s
/// each on the development machine); <c>GATEWAY_TRANSFER_MB</c> sets another size in MB. Run alone: they measure process-wide memory.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class LargeTransferFaultTests(ITestOutputHelper output)
{
    public const string SizeVariable = "GATEWAY_TRANSFER_MB";
    private const long MaxHeapGrowth = 64L * 1024 * 1024;
    private const long MaxRssGrowth = 192L * 1024 * 1024;

    private static long Size => (int.TryParse(Environment.GetEnvironmentVariable(SizeVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mb) && mb > 0 ? mb : 1024) * 1024L * 1024;

    [Fact]
    public async Task Upload_LargeBody_UpstreamGetsEveryByteWithFlatMemory()
    {
        var size = Size;
        long received = 0;
        string? hash = null;
        await using var upstream = await TestUpstream.StartAsync(async context => (received, hash) = await HashAsync(context.Request.Body));
        await using var gateway = await GatewayHost.StartAsync(g => g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        var source = new GeneratedStream(size);
        using var content = new StreamContent(source, 64 * 1024);
        content.Headers.ContentLength = size;

        var clock = Stopwatch.StartNew();
        await using var heap = new MemorySampler();
        await using var rss = new ProcessMemory();
        using var response = await client.PostAsync("/upload", content);
        Report("upload", size, clock.Elapsed, heap.PeakGrowth, rss.PeakGrowth);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size, received);
        Assert.Equal(source.Hash, hash);
        Assert.True(heap.PeakGrowth < MaxHeapGrowth, $"managed heap grew by {heap.PeakGrowth} bytes");
        Assert.True(rss.PeakGrowth < MaxRssGrowth, $"resident set grew by {rss.PeakGrowth} bytes");
    }

    [Fact]
    public async Task Download_LargeBody_ClientGetsEveryByteWithFlatMemory()
    {
        var size = Size;
        var expected = GeneratedStream.ExpectedHash(size);
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            context.Response.ContentLength = size;
            await using var source = new GeneratedStream(size);
            await source.CopyToAsync(context.Response.Body, 64 * 1024);
        });
        await using var gateway = await GatewayHost.StartAsync(g => g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(5);

        var clock = Stopwatch.StartNew();
        await using var heap = new MemorySampler();
        await using var rss = new ProcessMemory();
        using var response = await client.GetAsync("/download", HttpCompletionOption.ResponseHeadersRead);
        var (received, hash) = await HashAsync(await response.Content.ReadAsStreamAsync());

        Report("download", size, clock.Elapsed, heap.PeakGrowth, rss.PeakGrowth);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size, received);
        Assert.Equal(expected, hash);
        Assert.True(heap.PeakGrowth < MaxHeapGrowth, $"managed heap grew by {heap.PeakGrowth} bytes");
        Assert.True(rss.PeakGrowth < MaxRssGrowth, $"resident set grew by {rss.PeakGrowth} bytes");
    }

    [Fact]
    public async Task Download_ClientReadsSlowly_UpstreamHeldBackNotBufferedByTheGateway()
    {
        // The upstream could send gigabytes a second; a client reading ~4 MB/s must slow it down to about its own
        // pace. What may sit between them is socket and pipe buffers (a few MB), never the body.
        const long Slack = 32L * 1024 * 1024;
        long written = 0;
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            var chunk = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                    Interlocked.Add(ref written, chunk.Length);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
            }
        });
        await using var gateway = await GatewayHost.StartAsync(g => g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up")));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 64 * 1024 };
        await socket.ConnectAsync(IPAddress.Loopback, gateway.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n"));

        await using var heap = new MemorySampler();
        var buffer = new byte[16 * 1024];
        long read = 0;
        long maxAhead = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            read += await socket.ReceiveAsync(buffer);
            maxAhead = Math.Max(maxAhead, Interlocked.Read(ref written) - read);
            await Task.Delay(4);
        }

        output.WriteLine($"client read {read / 1048576.0:F1} MB in 2 s; upstream at most {maxAhead / 1048576.0:F1} MB ahead; heap +{heap.PeakGrowth / 1048576.0:F1} MB");
        Assert.True(read > 0);
        Assert.True(maxAhead < Slack, $"the upstream got {maxAhead} bytes ahead of the client");
        Assert.True(heap.PeakGrowth < Slack, $"managed heap grew by {heap.PeakGrowth} bytes");
    }

    private static async Task<(long Bytes, string Hash)> HashAsync(Stream stream)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            total += read;
        }

        return (total, Convert.ToHexString(sha.GetHashAndReset()));
    }

    private void Report(string what, long size, TimeSpan elapsed, long heap, long rss)
        => output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{what}: {size / 1048576} MB in {elapsed.TotalSeconds:F1} s ({size / 1048576 / elapsed.TotalSeconds:F0} MB/s); peak heap +{heap / 1048576.0:F1} MB, peak RSS +{rss / 1048576.0:F1} MB"));
}
