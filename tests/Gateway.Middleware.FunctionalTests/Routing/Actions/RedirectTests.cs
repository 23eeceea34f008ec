using System.Net;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Routing.Actions;

/// <summary>
/// Redirects answered by the gateway (Istio <c>HTTPRedirect</c>, Gateway API <c>RequestRedirect</c>): status,
/// <c>Location</c> and an empty body, nothing forwarded. The full Location table is in the unit tests.
/// </summary>
public sealed class RedirectTests
{
    /// <summary>Istio's HTTPRedirect example: /v1/getProductRatings → newratings…/v1/bookRatings, 301 by default.</summary>
    [Fact]
    public async Task Redirect_IstioUriAndAuthority_Answers301WithLocation()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddRoute("ratings", r => r
                .MatchPath("/v1/getProductRatings")
                .Redirect(x => x.Uri("/v1/bookRatings").Authority("newratings.default.svc.cluster.local"))));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/getProductRatings?id=1");
        request.Headers.Host = "ratings.prod.svc.cluster.local";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("http://newratings.default.svc.cluster.local/v1/bookRatings?id=1", response.Headers.Location!.OriginalString);
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Gateway API HTTPRouteRedirectScheme: default 302, the request's port dropped with the scheme.</summary>
    [Fact]
    public async Task Redirect_GatewayApiScheme_Answers302WithHttpsLocation()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddHttpRoute("https-upgrade", h => h.Rule(r => r.Redirect(x => x.Scheme("https")))));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cart?item=7");
        request.Headers.Host = $"shop.example.com:{gateway.Port}";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://shop.example.com/cart?item=7", response.Headers.Location!.OriginalString);
    }

    /// <summary>Gateway API HTTPRouteRedirectPath: ReplacePrefixMatch, and the status code given.</summary>
    [Theory]
    [InlineData("/original-prefix/lemon", "http://app.example.com/replacement-prefix/lemon")]
    [InlineData("/original-prefix", "http://app.example.com/replacement-prefix")]
    public async Task Redirect_GatewayApiReplacePrefixMatch_ReplacesMatchedPrefix(string path, string expected)
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddHttpRoute("redirect-path", h => h.Rule(r => r.MatchPathPrefix("/original-prefix").Redirect(x => x.ReplacePrefix("/replacement-prefix").Code(308)))));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "app.example.com";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    /// <summary>An HTTP/1.0 request without Host: the Location is path-absolute and never "//host".</summary>
    [Fact]
    public async Task Redirect_RequestWithoutHostAndDoubleSlashPath_NeverProtocolRelative()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g.AddRoute("secure", r => r.Redirect(x => x.Scheme("https"))));

        var response = await Forwarding.HeaderForwardingTests.SendRawAsync(gateway.Port, "GET //evil.example/x HTTP/1.0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 301", response, StringComparison.Ordinal);
        Assert.Contains("\r\nLocation: /evil.example/x\r\n", response, StringComparison.Ordinal);
    }
}
