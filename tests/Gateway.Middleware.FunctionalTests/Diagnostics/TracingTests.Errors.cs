using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Gateway.Middleware.FunctionalTests.Authentication;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;

namespace Gateway.Middleware.FunctionalTests.Diagnostics;

/// <summary>
/// Spans of the answers the gateway gives itself (DESIGN.md "What the gateway answers"): server spans are errors on
/// 5xx only, client spans on any failure (OpenTelemetry HTTP semantic conventions, "Status"); Envoy's response flags
/// in <c>gateway.response_flags</c>.
/// </summary>
public sealed partial class TracingTests
{
    [Fact]
    public async Task NoRoute_404_ServerSpanFlagNR_NoClientSpan()
    {
        using var capture = new TracingCapture();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("api", r => r.MatchPathPrefix("/api").RouteTo("up")));

        var (status, spans) = await SendAsync(gateway, capture, "/other");

        Assert.Equal(HttpStatusCode.NotFound, status);
        var server = Assert.Single(spans, TracingCapture.IsGatewayServer);
        Assert.DoesNotContain(spans, TracingCapture.IsGatewayClient);
        AssertTags(server, new() { ["http.response.status_code"] = 404, ["gateway.response_flags"] = "NR" });
        Assert.Null(server.GetTagItem("gateway.route"));
        Assert.Null(server.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, server.Status);
    }

    [Fact]
    public async Task Jwt401AndAuthorization403_ServerSpansOnly_NotErrors()
    {
        using var capture = new TracingCapture();
        using var keys = JwtKeys.Rsa("rsa-tracing");
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(keys));
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("svc", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("books", r => r.RouteTo("svc"))
            .AddJwtRule(JwtKeys.Issuer, r => r.JwksUri(jwks.Uri))
            .AddAuthorizationPolicy("require-jwt", p => p.Rule(r => r.From(requestPrincipals: ["*"]))));

        var (invalid, invalidSpans) = await SendAsync(gateway, capture, "/books", token: "not.a.token");
        var (missing, missingSpans) = await SendAsync(gateway, capture, "/books");

        Assert.Equal(HttpStatusCode.Unauthorized, invalid);
        var unauthorized = Assert.Single(invalidSpans, TracingCapture.IsGatewayServer);
        Assert.DoesNotContain(invalidSpans, TracingCapture.IsGatewayClient);
        AssertTags(unauthorized, new() { ["http.response.status_code"] = 401, ["gateway.response_flags"] = "-" });
        Assert.Equal(ActivityStatusCode.Unset, unauthorized.Status);

        Assert.Equal(HttpStatusCode.Forbidden, missing);
        var forbidden = Assert.Single(missingSpans, TracingCapture.IsGatewayServer);
        Assert.DoesNotContain(missingSpans, TracingCapture.IsGatewayClient);
        AssertTags(forbidden, new() { ["http.response.status_code"] = 403, ["gateway.route"] = "books", ["gateway.destination"] = "svc" });
        Assert.Null(forbidden.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, forbidden.Status);
    }

    [Fact]
    public async Task ConnectionRefused_503_ServerAndClientSpansErrorConnectionFailureFlagUF()
    {
        using var capture = new TracingCapture();
        var port = ErrorMappingTests.GetClosedPort();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("dead", u => u.Endpoint($"http://127.0.0.1:{port}"))
            .AddRoute("all", r => r.Retries(0).RouteTo("dead")));

        var (status, spans) = await SendAsync(gateway, capture, "/", clientSpans: 1);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var server = Assert.Single(spans, TracingCapture.IsGatewayServer);
        var upstreamTry = Assert.Single(spans, TracingCapture.IsGatewayClient);
        AssertTags(server, new() { ["http.response.status_code"] = 503, ["gateway.response_flags"] = "UF", ["error.type"] = "ConnectionFailure" });
        Assert.Equal(ActivityStatusCode.Error, server.Status);
        AssertTags(upstreamTry, new() { ["error.type"] = "ConnectionFailure", ["server.port"] = port });
        Assert.Null(upstreamTry.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, upstreamTry.Status);
    }

    [Fact]
    public async Task SubsetWithoutEndpoints_503_ServerSpanFlagUH_NoClientSpan()
    {
        using var capture = new TracingCapture();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint("http://127.0.0.1:1", ("version", "v1")).Subset("v4", ("version", "v4")))
            .AddRoute("all", r => r.RouteTo("reviews", subset: "v4")));

        var (status, spans) = await SendAsync(gateway, capture, "/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var server = Assert.Single(spans, TracingCapture.IsGatewayServer);
        Assert.DoesNotContain(spans, TracingCapture.IsGatewayClient);
        AssertTags(server, new() { ["http.response.status_code"] = 503, ["gateway.response_flags"] = "UH", ["error.type"] = "NoHealthyUpstream", ["gateway.subset"] = "v4" });
        Assert.Equal(ActivityStatusCode.Error, server.Status);
    }

    [Fact]
    public async Task RouteTimeout_504_ServerAndClientSpansRouteTimeoutFlagUT()
    {
        using var capture = new TracingCapture();
        await using var upstream = await TestUpstream.StartAsync(async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("slow", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.Timeout(TimeSpan.FromMilliseconds(100)).RouteTo("slow")));

        var (status, spans) = await SendAsync(gateway, capture, "/", clientSpans: 1);

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        var server = Assert.Single(spans, TracingCapture.IsGatewayServer);
        var upstreamTry = Assert.Single(spans, TracingCapture.IsGatewayClient);
        AssertTags(server, new() { ["http.response.status_code"] = 504, ["gateway.response_flags"] = "UT", ["error.type"] = "RouteTimeout" });
        Assert.Equal(ActivityStatusCode.Error, server.Status);
        Assert.Equal("RouteTimeout", upstreamTry.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, upstreamTry.Status);
    }

    private static async Task<(HttpStatusCode Status, Activity[] Spans)> SendAsync(GatewayHost gateway, TracingCapture capture, string path, string? token = null, int clientSpans = 0)
    {
        using var client = gateway.CreateClient();
        var (traceId, _, traceparent) = NewTrace();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", traceparent);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await capture.WaitForGatewaySpansAsync(traceId, clientSpans));
    }
}
