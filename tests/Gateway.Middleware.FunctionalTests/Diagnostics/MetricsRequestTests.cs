using System.Net;
using System.Net.Http.Headers;
using Gateway.Middleware.Builder;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Gateway.Middleware.Diagnostics;
using Gateway.Middleware.FunctionalTests.Authentication;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;

namespace Gateway.Middleware.FunctionalTests.Diagnostics;

/// <summary>
/// <c>gateway.requests</c> and <c>gateway.request.duration</c> over real sockets: one point per answered request
/// with the attributes of Istio's <c>istio_requests_total</c> (route, destination service, subset, response code,
/// response flags, method), for forwarded requests and for the gateway's own local replies.
/// </summary>
public sealed class MetricsRequestTests
{
    [Fact]
    public async Task RoutedRequest_200_CountedWithRouteDestinationSubsetAndNoFlags()
    {
        await using var upstream = await TestUpstream.StartAsync(static context => context.Response.WriteAsync("ok"));
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address, ("version", "v1")).Subset("v1", ("version", "v1")))
            .AddRoute("reviews-v1", r => r.RouteTo("reviews", subset: "v1")));
        using var metrics = new MetricRecorder(gateway.Services);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/reviews/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var count = await metrics.WaitForAsync(GatewayMetrics.RequestsName, _ => true);
        Assert.Equal(1, count.Value);
        Assert.Equal("reviews-v1", count["gateway.route"]);
        Assert.Equal("reviews", count["gateway.destination"]);
        Assert.Equal("v1", count["gateway.subset"]);
        Assert.Equal(200, count["http.response.status_code"]);
        Assert.Equal("-", count["gateway.response_flags"]);
        Assert.Equal("GET", count["http.request.method"]);

        // Same attributes on the duration, in seconds; nothing from the path or the client's Host.
        var duration = await metrics.WaitForAsync(GatewayMetrics.RequestDurationName, _ => true);
        Assert.Equal(count.Tags, duration.Tags);
        Assert.InRange(duration.Value, 0, 10);
        Assert.Single(metrics.Points(GatewayMetrics.RequestsName));
    }

    [Fact]
    public async Task UseGatewayMetricsBeforeUseGateway_RequestCountedOnce()
    {
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddRoute("direct", r => r.DirectResponse(200, "hi")),
            beforeGateway: app => app.UseGatewayMetrics());
        using var metrics = new MetricRecorder(gateway.Services);
        using var client = gateway.CreateClient();

        // Three requests in a row on one keep-alive connection: Kestrel reads the next request only once the
        // pipeline of the previous one has returned, so the first two are fully recorded: 2 or 3 points, not 4+.
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var point = await metrics.WaitForAsync(GatewayMetrics.RequestsName, _ => true);
        Assert.Equal("direct", point["gateway.route"]);
        Assert.False(point.Has("gateway.destination"));
        Assert.InRange(metrics.Points(GatewayMetrics.RequestsName).Count, 2, 3);
    }

    [Fact]
    public async Task NoRoute_404_CountedWithFlagNRAndNoRoute()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("reviews", r => r.MatchPathPrefix("/reviews").RouteTo("reviews")));
        using var metrics = new MetricRecorder(gateway.Services);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/unknown");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var point = await metrics.WaitForAsync(GatewayMetrics.RequestsName, _ => true);
        Assert.Equal(404, point["http.response.status_code"]);
        Assert.Equal("NR", point["gateway.response_flags"]);
        Assert.False(point.Has("gateway.route"));
        Assert.False(point.Has("gateway.destination"));
    }

    [Fact]
    public async Task InvalidToken_401_CountedAndJwtOutcomeInvalidSignature()
    {
        using var key = JwtKeys.Rsa("rsa-1");
        using var forger = JwtKeys.Rsa("rsa-1");
        await using var upstream = await TestUpstream.StartAsync(static context => context.Response.WriteAsync("ok"));
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(key));
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("books", u => u.Endpoint(upstream.Address))
            .AddRoute("books", r => r.RouteTo("books"))
            .AddJwtRule(JwtKeys.Issuer, r => r.JwksUri(jwks.Uri).Audiences("bookstore")));
        using var metrics = new MetricRecorder(gateway.Services);
        using var client = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, forger.Token()));
        var request = await metrics.WaitForAsync(GatewayMetrics.RequestsName, _ => true);
        Assert.Equal(401, request["http.response.status_code"]);
        Assert.Equal("-", request["gateway.response_flags"]);

        // RequestAuthentication runs before routing: a refused token has no route yet.
        Assert.False(request.Has("gateway.route"));
        var jwt = await metrics.WaitForAsync(GatewayMetrics.JwtOutcomesName, _ => true);
        Assert.Equal("invalid", jwt["gateway.jwt.outcome"]);
        Assert.Equal("signature", jwt["gateway.jwt.reason"]);

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, key.Token(c => c["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds())));
        await metrics.WaitForAsync(GatewayMetrics.JwtOutcomesName, p => Equals(p["gateway.jwt.reason"], "expired"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, key.Token()));
        await metrics.WaitForAsync(GatewayMetrics.JwtOutcomesName, p => Equals(p["gateway.jwt.outcome"], "ok") && !p.Has("gateway.jwt.reason"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, null));
        await metrics.WaitForAsync(GatewayMetrics.JwtOutcomesName, p => Equals(p["gateway.jwt.outcome"], "missing"));
        Assert.Equal(4, metrics.Points(GatewayMetrics.JwtOutcomesName).Count);
    }

    [Fact]
    public async Task DenyPolicy_403_CountedAndAuthorizationDenialByPolicy()
    {
        await using var upstream = await TestUpstream.StartAsync(static context => context.Response.WriteAsync("ok"));
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("web", u => u.Endpoint(upstream.Address))
            .AddRoute("web", r => r.RouteTo("web"))
            .AddAuthorizationPolicy("deny-admin", p => p.Deny().Rule(r => r.To(paths: ["/admin*"])))
            .AddAuthorizationPolicy("allow-get", p => p.Allow().Rule(r => r.To(methods: ["GET"]))));
        using var metrics = new MetricRecorder(gateway.Services);
        using var client = gateway.CreateClient();

        using var denied = await client.GetAsync("/admin");
        using var notAllowed = await client.DeleteAsync("/items");

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAllowed.StatusCode);
        var request = await metrics.WaitForAsync(GatewayMetrics.RequestsName, p => Equals(p["http.request.method"], "DELETE"));
        Assert.Equal(403, request["http.response.status_code"]);
        Assert.Equal("web", request["gateway.destination"]);
        var deny = await metrics.WaitForAsync(GatewayMetrics.AuthorizationDenialsName, p => Equals(p["gateway.authorization.action"], "deny"));
        Assert.Equal("deny-admin", deny["gateway.authorization.policy"]);
        var none = await metrics.WaitForAsync(GatewayMetrics.AuthorizationDenialsName, p => Equals(p["gateway.authorization.action"], "no_allow_match"));
        Assert.False(none.Has("gateway.authorization.policy"));
    }

    [Fact]
    public async Task ConnectionRefused_503_CountedWithFlagsUFAndURX()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("down", u => u.Endpoint($"http://127.0.0.1:{ErrorMappingTests.GetClosedPort()}"))
            .AddRoute("down", r => r.RouteTo("down")));
        using var metrics = new MetricRecorder(gateway.Services);
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var point = await metrics.WaitForAsync(GatewayMetrics.RequestsName, _ => true);
        Assert.Equal(503, point["http.response.status_code"]);
        // The default retries (connect-failure) were all used: Envoy flags the answer UF,URX.
        Assert.Equal("UF,URX", point["gateway.response_flags"]);
        Assert.Equal("down", point["gateway.route"]);
        Assert.Equal("POST", point["http.request.method"]);
    }

    [Fact]
    public async Task RouteTimeout_504_CountedWithFlagUT()
    {
        await using var upstream = await TestUpstream.StartAsync(static async context =>
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default);
        });
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("slow", u => u.Endpoint(upstream.Address))
            .AddRoute("slow", r => r.RouteTo("slow").Timeout(TimeSpan.FromMilliseconds(200))));
        using var metrics = new MetricRecorder(gateway.Services);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod("PURGE"), "/");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var point = await metrics.WaitForAsync(GatewayMetrics.RequestsName, _ => true);
        Assert.Equal(504, point["http.response.status_code"]);
        Assert.Equal("UT", point["gateway.response_flags"]);
        Assert.Equal("slow", point["gateway.destination"]);

        // A method outside HTTP's set cannot mint a series (OpenTelemetry semantic conventions).
        Assert.Equal("_OTHER", point["http.request.method"]);
        var duration = await metrics.WaitForAsync(GatewayMetrics.RequestDurationName, _ => true);
        // Seconds, about the 200 ms timeout (timers may fire a few milliseconds early).
        Assert.InRange(duration.Value, 0.15, 10);
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/books");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
