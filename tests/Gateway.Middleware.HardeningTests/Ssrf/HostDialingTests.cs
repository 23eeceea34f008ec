using System.Net;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.HardeningTests.Smuggling;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.HardeningTests.Ssrf;

/// <summary>
/// No Host-derived dialing (SSRF): the address the gateway connects to comes from the configured upstream only,
/// never from <c>Host</c>, <c>:authority</c>, an absolute-form target or a CONNECT authority. A canary listening on
/// another loopback port must never see a connection carrying a request.
/// </summary>
public sealed class HostDialingTests
{
    [Theory]
    [InlineData("GET /x HTTP/1.1\r\nHost: {canary}\r\nConnection: close\r\n\r\n", 200)]
    [InlineData("GET http://{canary}/x HTTP/1.1\r\nHost: {canary}\r\nConnection: close\r\n\r\n", 200)]
    [InlineData("GET /x HTTP/1.1\r\nHost: app.example.com\r\nX-Forwarded-Host: {canary}\r\nX-Host: {canary}\r\nX-Original-URL: http://{canary}/x\r\nConnection: close\r\n\r\n", 200)]
    [InlineData("CONNECT {canary} HTTP/1.1\r\nHost: {canary}\r\nConnection: close\r\n\r\n", 400)]
    [InlineData("CONNECT {canary} HTTP/1.1\r\nHost: {canary}\r\n\r\nGET / HTTP/1.1\r\nHost: {canary}\r\n\r\n", 400)]
    [InlineData("OPTIONS * HTTP/1.1\r\nHost: {canary}\r\nConnection: close\r\n\r\n", null)]
    public async Task Forward_RequestNamingAnotherAddress_IsSentToTheConfiguredUpstreamOnly(string request, int? expected)
    {
        await using var canary = await RawHttpUpstream.StartAsync("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\ncanary");
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);
        var canaryAuthority = new Uri(canary.Address).Authority;

        var raw = await RawHttp.SendAsync(gateway.Port, request.Replace("{canary}", canaryAuthority, StringComparison.Ordinal), TimeSpan.FromSeconds(5))
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "", TaskScheduler.Default);

        Assert.Equal(0, canary.RequestCount);
        Assert.DoesNotContain("canary", raw, StringComparison.Ordinal);
        if (expected is { } status)
        {
            Assert.Equal([status], RawHttp.StatusCodes(raw));
            Assert.Equal(status == 200 ? 1 : 0, upstream.Seen.Length);
        }
    }

    [Fact]
    public async Task Forward_Http2AuthorityNamingAnotherAddress_IsSentToTheConfiguredUpstreamOnly()
    {
        await using var canary = await RawHttpUpstream.StartAsync("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\ncanary");
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("svc", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.Hosts("*").RouteTo("svc")),
            protocols: HttpProtocols.Http2);
        using var client = gateway.CreateClient(HttpVersion.Version20);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/x") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Host = new Uri(canary.Address).Authority; // sent as :authority

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, canary.RequestCount);
        Assert.Equal(new Uri(canary.Address).Authority, Assert.Single(upstream.Seen).Headers["Host"]);
    }
}
