using System.Diagnostics;
using System.Net;
using Gateway.Middleware.Diagnostics;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Diagnostics;

/// <summary>
/// Issue 7 tracing over real sockets, recorded by an OpenTelemetry TracerProvider with <c>AddGatewayInstrumentation()</c>
/// and the in-memory exporter: server and client spans (OpenTelemetry HTTP semantic conventions), retries and mirrors,
/// and W3C Trace Context propagation (w3.org/TR/trace-context) to the upstream. ActivitySource listeners are
/// process-wide, so these tests run alone and find their spans by trace id.
/// </summary>
[Collection(SerialTests.Name)]
public sealed partial class TracingTests
{
    [Fact]
    public async Task RoutedRequest_ServerSpanParentsClientSpan_UpstreamParentIsTheClientSpan()
    {
        using var capture = new TracingCapture();
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address))
            .AddRoute("reviews-route", r => r.Hosts("app.example.com").RouteTo("reviews")));
        using var client = gateway.CreateClient();
        var (traceId, callerSpanId, traceparent) = NewTrace();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/books/1?access_token=secret-1&sig=secret-2");
        request.Headers.Host = "app.example.com";
        request.Headers.Add("traceparent", traceparent);
        request.Headers.Add("tracestate", "vendor=opaque");

        using var response = await client.SendAsync(request);
        var spans = await capture.WaitForGatewaySpansAsync(traceId, 1);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var server = Assert.Single(spans, TracingCapture.IsGatewayServer);
        var upstreamTry = Assert.Single(spans, TracingCapture.IsGatewayClient);

        // The server span continues the caller's trace; the client span is its child.
        Assert.Equal("GET", server.DisplayName);
        Assert.Equal(callerSpanId, server.ParentSpanId);
        Assert.Equal(server.SpanId, upstreamTry.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, server.Status);
        AssertTags(server, new()
        {
            ["http.request.method"] = "GET",
            ["url.scheme"] = "http",
            ["url.path"] = "/books/1",
            ["server.address"] = "app.example.com",
            ["network.protocol.version"] = "1.1",
            ["client.address"] = "127.0.0.1",
            ["http.response.status_code"] = 200,
            ["gateway.route"] = "reviews-route",
            ["gateway.destination"] = "reviews",
            ["gateway.response_flags"] = "-",
        });
        Assert.Null(server.GetTagItem("error.type"));

        Assert.Equal("GET", upstreamTry.DisplayName);
        Assert.Equal(ActivityStatusCode.Unset, upstreamTry.Status);
        AssertTags(upstreamTry, new()
        {
            ["http.request.method"] = "GET",
            ["url.full"] = upstream.Address + "/books/1",
            ["server.address"] = "127.0.0.1",
            ["server.port"] = new Uri(upstream.Address).Port,
            ["network.protocol.version"] = "1.1",
            ["http.response.status_code"] = 200,
            ["gateway.destination"] = "reviews",
        });
        // Envoy's cluster name, outbound|port|subset|host (no port: the fluent upstream declares none).
        Assert.Equal("outbound|||reviews", upstreamTry.GetTagItem("gateway.upstream_cluster"));
        Assert.Null(upstreamTry.GetTagItem("http.request.resend_count"));

        // W3C: the upstream's parent is the gateway's client span, in the caller's trace, with the caller's tracestate.
        Assert.Equal($"00-{traceId}-{upstreamTry.SpanId}-01", upstream.Seen!["traceparent"]);
        Assert.Equal("vendor=opaque", upstream.Seen["tracestate"]);

        // Query strings may carry credentials: no attribute holds them.
        Assert.All(spans.SelectMany(span => span.TagObjects), tag => Assert.DoesNotContain("secret", tag.Value?.ToString() ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoListener_NoSpans_ClientTraceparentForwardedUnchanged()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();
        var (_, _, traceparent) = NewTrace();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("traceparent", traceparent);

        using var response = await client.SendAsync(request);

        Assert.False(GatewayTracing.Source.HasListeners());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(traceparent, upstream.Seen!["traceparent"]);
    }

    /// <summary>
    /// W3C sampled flag off: OpenTelemetry's parent-based sampler creates no span, so nothing is recorded and the caller's
    /// context, with its sampled flag off, goes upstream unchanged: the decision travels on.
    /// </summary>
    [Fact]
    public async Task CallerNotSampled_NothingRecorded_UpstreamGetsTheCallersContext()
    {
        using var capture = new TracingCapture();
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpanId = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-00");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"00-{traceId}-{callerSpanId}-00", upstream.Seen!["traceparent"]);
        Assert.Empty(capture.Trace(traceId));
    }

    /// <summary>Zero-overhead path: with nobody listening the server side is one check and no allocation per request.</summary>
    [Fact]
    public async Task NoListener_TracingMiddlewareAllocatesNothing()
    {
        var middleware = new GatewayTracingMiddleware(static _ => Task.CompletedTask);
        var context = new DefaultHttpContext();
        await middleware.InvokeAsync(context);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = middleware.InvokeAsync(context);
        }

        Assert.False(GatewayTracing.Source.HasListeners());
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Istio HTTPRetry: each try is its own client span; semantic conventions' <c>http.request.resend_count</c> on resends.</summary>
    [Fact]
    public async Task RetryOn5xx_EachTryItsOwnClientSpan_WithResendCount()
    {
        using var capture = new TracingCapture();
        var tries = 0;
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref tries) <= 2 ? 503 : 200;
            return Task.CompletedTask;
        });
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("retried", r => r.Retries(2, retryOn: "5xx").RouteTo("up")));
        using var client = gateway.CreateClient();
        var (traceId, _, traceparent) = NewTrace();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("traceparent", traceparent);

        using var response = await client.SendAsync(request);
        var spans = await capture.WaitForGatewaySpansAsync(traceId, 3);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var server = Assert.Single(spans, TracingCapture.IsGatewayServer);
        var attempts = spans.Where(TracingCapture.IsGatewayClient).OrderBy(span => span.StartTimeUtc).ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.All(attempts, span => Assert.Equal(server.SpanId, span.ParentSpanId));
        Assert.Equal([null, 1, 2], attempts.Select(span => span.GetTagItem("http.request.resend_count")));
        Assert.Equal([503, 503, 200], attempts.Select(span => span.GetTagItem("http.response.status_code")));
        Assert.Equal([ActivityStatusCode.Error, ActivityStatusCode.Error, ActivityStatusCode.Unset], attempts.Select(span => span.Status));
        Assert.Equal("503", attempts[0].GetTagItem("error.type"));
        Assert.Equal(200, server.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, server.Status);
    }

    /// <summary>Istio <c>mirror</c>: the copy gets its own client span, child of the server span, and carries its context.</summary>
    [Fact]
    public async Task Mirror_CopyHasItsOwnClientSpan()
    {
        using var capture = new TracingCapture();
        await using var primary = await HeaderRecordingUpstream.StartAsync();
        await using var mirror = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("primary", u => u.Endpoint(primary.Address))
            .AddUpstream("shadow", u => u.Endpoint(mirror.Address))
            .AddRoute("mirrored", r => r.RouteTo("primary").Mirror("shadow")));
        using var client = gateway.CreateClient();
        var (traceId, _, traceparent) = NewTrace();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reviews");
        request.Headers.Add("traceparent", traceparent);

        using var response = await client.SendAsync(request);
        var spans = await capture.WaitForGatewaySpansAsync(traceId, 2);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var server = Assert.Single(spans, TracingCapture.IsGatewayServer);
        var copy = Assert.Single(spans, span => TracingCapture.IsGatewayClient(span) && span.GetTagItem("gateway.mirror") is true);
        var forwarded = Assert.Single(spans, span => TracingCapture.IsGatewayClient(span) && span.GetTagItem("gateway.mirror") is null);
        Assert.Equal(server.SpanId, copy.ParentSpanId);
        Assert.Equal(server.SpanId, forwarded.ParentSpanId);
        Assert.Equal("shadow", copy.GetTagItem("gateway.destination"));
        Assert.Equal(mirror.Address + "/reviews", copy.GetTagItem("url.full"));
        Assert.Equal(200, copy.GetTagItem("http.response.status_code"));
        Assert.Equal($"00-{traceId}-{copy.SpanId}-01", mirror.Seen!["traceparent"]);
        Assert.Equal($"00-{traceId}-{forwarded.SpanId}-01", primary.Seen!["traceparent"]);
    }

    /// <summary>
    /// OpenTelemetry.Instrumentation.AspNetCore records ASP.NET Core's request activity: the gateway adds its attributes
    /// to that span instead of starting a second server span, and its client span is that span's child.
    /// </summary>
    [Fact]
    public async Task AspNetCoreSpanRecorded_EnrichedInsteadOfASecondServerSpan()
    {
        using var capture = new TracingCapture(aspNetCore: true);
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.Hosts("app.example.com").RouteTo("up")));
        using var client = gateway.CreateClient();
        var (traceId, callerSpanId, traceparent) = NewTrace();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "app.example.com";
        request.Headers.Add("traceparent", traceparent);

        using var response = await client.SendAsync(request);

        // The hosting span of the gateway is the one whose parent is the caller (the upstream's is the client span's child).
        var spans = await capture.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Source.Name == "Microsoft.AspNetCore" && span.ParentSpanId == callerSpanId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(spans, TracingCapture.IsGatewayServer);
        var hosting = Assert.Single(spans, span => span.Source.Name == "Microsoft.AspNetCore" && span.ParentSpanId == callerSpanId);
        Assert.Equal("all", hosting.GetTagItem("gateway.route"));
        Assert.Equal("up", hosting.GetTagItem("gateway.destination"));
        Assert.Equal("-", hosting.GetTagItem("gateway.response_flags"));
        var upstreamTry = Assert.Single(spans, TracingCapture.IsGatewayClient);
        Assert.Equal(hosting.SpanId, upstreamTry.ParentSpanId);
        Assert.Equal($"00-{traceId}-{upstreamTry.SpanId}-01", upstream.Seen!["traceparent"]);
    }

    /// <summary>
    /// With logging on, ASP.NET Core creates an unrecorded request activity even when nobody listens to it. A request
    /// without <c>traceparent</c> starts a new trace whose root is the gateway's server span, which a parent-based
    /// sampler records (a child of the unrecorded activity would be dropped and point at a span nobody exports).
    /// </summary>
    [Fact]
    public async Task LoggingOnAndNoTraceparent_GatewayServerSpanIsARecordedRoot()
    {
        using var capture = new TracingCapture();
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g =>
        {
            g.Services.AddSingleton<ILoggerProvider, EnabledLoggerProvider>();
            g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up"));
        });
        using var client = gateway.CreateClient();
        var path = "/root-" + Guid.NewGuid().ToString("N");

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Activity? server = null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server is null && DateTime.UtcNow < deadline)
        {
            server = capture.FirstOrDefault(span => TracingCapture.IsGatewayServer(span) && (string?)span.GetTagItem("url.path") == path);
            await Task.Delay(10);
        }

        Assert.NotNull(server);
        Assert.Equal(default, server.ParentSpanId);
        Assert.True(server.Recorded);
        var upstreamTry = Assert.Single(capture.Trace(server.TraceId), TracingCapture.IsGatewayClient);
        Assert.Equal(server.SpanId, upstreamTry.ParentSpanId);
        Assert.Equal($"00-{server.TraceId}-{upstreamTry.SpanId}-01", upstream.Seen!["traceparent"]);
    }

    internal static (ActivityTraceId TraceId, ActivitySpanId SpanId, string Traceparent) NewTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        return (traceId, spanId, $"00-{traceId}-{spanId}-01");
    }

    internal static void AssertTags(Activity span, Dictionary<string, object> expected)
    {
        foreach (var (name, value) in expected)
        {
            Assert.True(Equals(value, span.GetTagItem(name)), $"{span.DisplayName} {span.Kind}: {name} = {span.GetTagItem(name) ?? "(none)"}, expected {value}");
        }
    }

    private sealed class EnabledLoggerProvider : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Critical;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }

        public void Dispose()
        {
        }
    }
}
