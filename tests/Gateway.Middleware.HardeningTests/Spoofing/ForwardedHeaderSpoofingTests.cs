using System.Net;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.HardeningTests.Smuggling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.HardeningTests.Spoofing;

/// <summary>
/// A client's forwarded headers and Envoy-internal headers cannot change what the upstream is told about the
/// client, who the client is for authorization, or how the gateway times out and retries (Envoy
/// <c>use_remote_address</c> with <c>xff_num_trusted_hops: 0</c>, edge sanitization of <c>x-envoy-*</c>).
/// </summary>
public sealed class ForwardedHeaderSpoofingTests
{
    private static readonly (string Name, string Value)[] Spoofed =
    [
        ("X-Forwarded-For", "203.0.113.9"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "admin.internal"),
        ("X-Forwarded-Port", "8443"),
        ("X-Forwarded-Prefix", "/evil"),
        ("Forwarded", "for=203.0.113.9;proto=https;host=admin.internal"),
        ("x-request-id", "attacker-chosen"),
        ("x-forwarded-client-cert", "By=spiffe://cluster.local/ns/default/sa/admin;URI=spiffe://cluster.local/ns/x/sa/y"),
        ("x-envoy-original-path", "/admin"),
        ("x-envoy-internal", "true"),
        ("x-envoy-external-address", "10.0.0.1"),
        ("x-envoy-decorator-operation", "admin"),
    ];

    [Fact]
    public async Task Forward_SpoofedForwardedAndInternalHeaders_UpstreamSeesTheGatewaysValues()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p");
        request.Headers.Host = "app.example.com";
        foreach (var (name, value) in Spoofed)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(upstream.Seen).Headers;
        Assert.Equal("127.0.0.1", seen["X-Forwarded-For"]);
        Assert.Equal("http", seen["X-Forwarded-Proto"]);
        Assert.Equal("app.example.com", seen["X-Forwarded-Host"]);
        Assert.True(Guid.TryParse(seen["x-request-id"], out _), seen["x-request-id"]);
        foreach (var name in new[] { "X-Forwarded-Port", "X-Forwarded-Prefix", "Forwarded", "x-forwarded-client-cert", "x-envoy-original-path", "x-envoy-internal", "x-envoy-external-address", "x-envoy-decorator-operation" })
        {
            Assert.False(seen.ContainsKey(name), $"{name}: {seen.GetValueOrDefault(name)}");
        }
    }

    [Fact]
    public async Task Forward_TrustedProxyHop_KeepsTheProxysForwardedHeaders()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("svc", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.Hosts("*").RouteTo("svc")),
            forwarding: f => f.TrustedProxyHops = 1);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "198.51.100.1, 203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Port", "443");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/shop");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(upstream.Seen).Headers;
        Assert.Equal("203.0.113.9, 127.0.0.1", seen["X-Forwarded-For"]);
        Assert.Equal("443", seen["X-Forwarded-Port"]);
        Assert.Equal("/shop", seen["X-Forwarded-Prefix"]);
    }

    [Fact]
    public async Task Forward_PreserveExternalRequestId_KeepsTheClientsId()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("svc", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.Hosts("*").RouteTo("svc")),
            forwarding: f => f.PreserveExternalRequestId = true);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p");
        request.Headers.TryAddWithoutValidation("x-request-id", "lb-assigned-7");

        using var response = await client.SendAsync(request);

        Assert.Equal("lb-assigned-7", Assert.Single(upstream.Seen).Headers["x-request-id"]);
    }

    [Fact]
    public async Task Forward_ClientRequestIdOnARetriedRequest_EveryTryCarriesTheSameGeneratedId()
    {
        var tries = 0;
        await using var upstream = await RecordingUpstream.StartAsync(context =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref tries) == 1 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("svc", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.Hosts("*").Retries(1, retryOn: "5xx").RouteTo("svc")));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p");
        request.Headers.TryAddWithoutValidation("x-request-id", "attacker-chosen");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = upstream.Seen.Select(s => s.Headers["x-request-id"]).ToArray();
        Assert.Equal(2, ids.Length);
        Assert.True(Guid.TryParse(ids[0], out _), ids[0]);
        Assert.Equal(ids[0], ids[1]);
    }

    [Theory]
    // remoteIpBlocks come from X-Forwarded-For only through trusted hops; with none, the peer (127.0.0.1) is the client.
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    [InlineData("X-Real-IP", "203.0.113.9")]
    [InlineData("x-envoy-external-address", "203.0.113.9")]
    public async Task Authorization_SpoofedClientAddress_DoesNotMatchRemoteIpBlocks(string header, string value)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address, g => g
            .AddAuthorizationPolicy("partners-only", p => p.Allow().Rule(r => r.From(remoteIpBlocks: ["203.0.113.0/24"]))));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(upstream.Seen);
    }

    [Fact]
    public async Task Authorization_SpoofedForwardedFor_CannotEscapeADenyOnThePeer()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address, g => g
            .AddAuthorizationPolicy("no-loopback", p => p.Deny().Rule(r => r.From(remoteIpBlocks: ["127.0.0.0/8"]))));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "198.51.100.1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(upstream.Seen);
    }

    [Fact]
    public async Task Forward_ClientEnvoyTimeoutHeader_DoesNotShortenTheRoute()
    {
        await using var upstream = await RecordingUpstream.StartAsync(async context =>
        {
            await Task.Delay(300, context.RequestAborted);
            await context.Response.WriteAsync("slow");
        });
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p");
        request.Headers.TryAddWithoutValidation("x-envoy-upstream-rq-timeout-ms", "1");
        request.Headers.TryAddWithoutValidation("x-envoy-upstream-rq-per-try-timeout-ms", "1");
        request.Headers.TryAddWithoutValidation("x-envoy-expected-rq-timeout-ms", "1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("slow", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_ClientEnvoyRetryHeaders_DoNotAddRetries()
    {
        await using var upstream = await RecordingUpstream.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p");
        request.Headers.TryAddWithoutValidation("x-envoy-retry-on", "5xx,gateway-error,retriable-status-codes");
        request.Headers.TryAddWithoutValidation("x-envoy-retriable-status-codes", "503");
        request.Headers.TryAddWithoutValidation("x-envoy-max-retries", "5");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(upstream.Seen);
    }
}
