using System.Net;
using System.Security.Cryptography;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>100 MB each way through the gateway with the managed heap staying flat (no body buffering).</summary>
[Collection(SerialTests.Name)]
public sealed class LargeTransferTests(ITestOutputHelper output)
{
    private const long Size = 100L * 1024 * 1024;
    private const long MaxGrowth = 64L * 1024 * 1024;

    [Fact]
    public async Task Forward_100MbUpload_UpstreamReceivesAllBytesAndHeapStaysFlat()
    {
        string? upstreamHash = null;
        long upstreamBytes = 0;
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            (upstreamBytes, upstreamHash) = await HashAsync(context.Request.Body);
        });
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream);
        using var client = gateway.CreateClient();

        await using var sampler = new MemorySampler();
        var source = new GeneratedStream(Size);
        using var content = new StreamContent(source, 64 * 1024);
        content.Headers.ContentLength = Size;
        using var response = await client.PostAsync("/upload", content);
        var growth = sampler.PeakGrowth;
        output.WriteLine($"upload: peak managed heap growth {growth / (1024 * 1024.0):F1} MB");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Size, upstreamBytes);
        Assert.Equal(source.Hash, upstreamHash);
        Assert.True(growth < MaxGrowth, $"heap grew by {growth} bytes");
    }

    [Fact]
    public async Task Forward_100MbDownload_ClientReceivesAllBytesAndHeapStaysFlat()
    {
        // The pattern is deterministic: hash it here rather than reading what the upstream saw, which it
        // records only after the client may already have finished.
        var (_, expectedHash) = await HashAsync(new GeneratedStream(Size));
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            context.Response.ContentLength = Size;
            await new GeneratedStream(Size).CopyToAsync(context.Response.Body, 64 * 1024);
        });
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream);
        using var client = gateway.CreateClient();

        await using var sampler = new MemorySampler();
        using var response = await client.GetAsync("/download", HttpCompletionOption.ResponseHeadersRead);
        var (bytes, hash) = await HashAsync(await response.Content.ReadAsStreamAsync());
        var growth = sampler.PeakGrowth;
        output.WriteLine($"download: peak managed heap growth {growth / (1024 * 1024.0):F1} MB");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Size, bytes);
        Assert.Equal(expectedHash, hash);
        Assert.True(growth < MaxGrowth, $"heap grew by {growth} bytes");
    }

    private static async Task<(long Bytes, string Hash)> HashAsync(Stream stream)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
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
}
