using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Tls;

/// <summary>
/// Istio <c>tls.httpsRedirect</c> (Envoy <c>require_tls: ALL</c>): 301 to the https URL, except when the
/// request came over TLS or a trusted proxy says <c>X-Forwarded-Proto: https</c>.
/// </summary>
public sealed class HttpsRedirectTests
{
    [Fact]
    public async Task HttpsRedirect_PlainRequest_301ToHttpsUrl()
    {
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await StartAsync(upstream, trustedHops: 0);

        using var response = await SendAsync(gateway, "www.example.com:80", forwardedProto: null);
        using var withPort = await SendAsync(gateway, "www.example.com:8080", forwardedProto: null);

        Assert.Equal(301, (int)response.StatusCode);
        Assert.Equal("https://www.example.com/a/b?x=1&y=2", response.Headers.Location?.OriginalString);

        // Envoy drops only the default port of the original scheme.
        Assert.Equal("https://www.example.com:8080/a/b?x=1&y=2", withPort.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task HttpsRedirect_TrustedForwardedProtoHttps_Served()
    {
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await StartAsync(upstream, trustedHops: 1);

        using var https = await SendAsync(gateway, "www.example.com", forwardedProto: "https");
        using var http = await SendAsync(gateway, "www.example.com", forwardedProto: "http");

        // Behind a TLS load balancer the redirect must not loop.
        Assert.Equal(200, (int)https.StatusCode);
        Assert.Equal(301, (int)http.StatusCode);
    }

    [Fact]
    public async Task HttpsRedirect_ForwardedProtoFromUntrustedClient_StillRedirected()
    {
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await StartAsync(upstream, trustedHops: 0);

        using var response = await SendAsync(gateway, "www.example.com", forwardedProto: "https");

        Assert.Equal(301, (int)response.StatusCode);
        Assert.Equal("https://www.example.com/a/b?x=1&y=2", response.Headers.Location?.OriginalString);
    }

    private static Task<TlsGateway> StartAsync(TestUpstream upstream, int trustedHops)
        => TlsGateway.StartAsync(
            g => g.AddUpstream("svc", u => u.Endpoint(upstream.Address))
                .AddServer("http", s => s.Hosts("www.example.com").HttpsRedirect())
                .AddRoute("all", r => r.RouteTo("svc")),
            plainText: true,
            forwarding: f => f.TrustedProxyHops = trustedHops);

    private static async Task<HttpResponseMessage> SendAsync(TlsGateway gateway, string host, string? forwardedProto)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{gateway.PlainPort}/a/b?x=1&y=2");
        request.Headers.Host = host;
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return await client.SendAsync(request);
    }
}
