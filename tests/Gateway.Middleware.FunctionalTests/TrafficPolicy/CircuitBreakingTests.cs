using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.AccessLog;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.TrafficPolicy;

/// <summary>
/// Istio <c>connectionPool</c> as Envoy's circuit breakers: past the limits a request is answered 503
/// <c>overflow</c> at once (flag UO) rather than queued; admitted requests are served.
/// </summary>
public sealed class CircuitBreakingTests
{
    private const string Overflow = "upstream connect error or disconnect/reset before headers. reset reason: overflow";

    [Fact]
    public async Task MaxConnectionsOnePendingOne_ExcessAnswered503OverflowAtOnce_OthersServed()
    {
        await using var upstream = await NamedUpstream.StartAsync("slow");
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u
                .Endpoint(upstream.Address)
                .ConnectionPool(p => p.MaxConnections(1).Http1MaxPendingRequests(1)))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var client = gateway.CreateClient();

        var requests = Enumerable.Range(0, 6).Select(_ => client.GetAsync("/slow")).ToArray();

        // While the upstream holds its requests, four of six are answered already: 1 connection + 1 pending admitted.
        await Poll.UntilAsync(() => requests.Count(r => r.IsCompleted) == 4, "the overflowing requests to be answered");
        await Poll.UntilAsync(() => upstream.Held >= 1, "an admitted request to reach the upstream");
        var early = requests.Where(r => r.IsCompleted).ToArray();
        foreach (var done in early)
        {
            using var response = await done;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(Overflow, await response.Content.ReadAsStringAsync());
        }

        upstream.OpenGate();
        foreach (var admitted in requests.Except(early))
        {
            using var response = await admitted;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, upstream.Count);

        // Every slot was given back: the cluster admits again.
        var again = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.GetAsync("/")));
        Assert.All(again, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
    }

    [Fact]
    public async Task Http2MaxRequests_BoundsRequestsInFlight_OverflowFlaggedUO()
    {
        await using var upstream = await NamedUpstream.StartAsync("slow");
        var sink = new AccessLogSink();
        await using var gateway = await GatewayHost.StartAsync(
            g =>
            {
                g.Services.AddSingleton<ILoggerProvider>(sink);
                g.Services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(null, "Gateway.Middleware.AccessLog", LogLevel.Trace, null)));
                g.AddUpstream("reviews", u => u.Endpoint(upstream.Address).ConnectionPool(p => p.Http2MaxRequests(2)))
                    .AddRoute("all", r => r.RouteTo("reviews"));
            },
            beforeGateway: app => app.UseGatewayAccessLog());
        using var client = gateway.CreateClient();
        var held = new[] { client.GetAsync("/slow"), client.GetAsync("/slow") };
        await Poll.UntilAsync(() => upstream.Held == 2, "two requests held by the upstream");

        var started = Stopwatch.StartNew();
        using var third = await client.GetAsync("/slow");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal(Overflow, await third.Content.ReadAsStringAsync());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Matches("\" 503 UO ", await sink.WaitForLineAsync());
        upstream.OpenGate();
        foreach (var request in held)
        {
            using var response = await request;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task ClientAbort_ReleasesTheSlot()
    {
        await using var upstream = await NamedUpstream.StartAsync("slow");
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).ConnectionPool(p => p.Http2MaxRequests(1)))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var client = gateway.CreateClient();
        using var abort = new CancellationTokenSource();
        var abandoned = client.GetAsync("/slow", abort.Token);
        await Poll.UntilAsync(() => upstream.Held == 1, "the request to be held");
        using (var overflow = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, overflow.StatusCode);
        }

        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        // The gateway sees the client leave, cancels the upstream request and gives its slot back.
        await Poll.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync("/");
                return response.StatusCode == HttpStatusCode.OK;
            },
            "the slot to be released");
    }

    [Fact]
    public async Task MaxRetries_RetryBeyondTheLimitNotAttempted_FailedAnswerReturned()
    {
        await using var failing = await NamedUpstream.StartAsync("a");
        await using var slow = await NamedUpstream.StartAsync("b");
        failing.Status = 503;
        failing.OpenGate();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u
                .Endpoint(failing.Address)
                .Endpoint(slow.Address)
                .LoadBalancer(LoadBalancerPolicy.RoundRobin)
                .ConnectionPool(p => p.MaxRetries(1)))
            .AddRoute("all", r => r.RouteTo("reviews").Retries(1, retryOn: "5xx")));
        using var client = gateway.CreateClient();

        // a answers 503; the retry goes to b, which holds it: one retry outstanding.
        var retried = client.GetAsync("/slow");
        await Poll.UntilAsync(() => slow.Held == 1, "the retry to reach b");

        // The next request's first try also fails on a; its retry would be the second outstanding one.
        using (var notRetried = await client.GetAsync("/slow"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notRetried.StatusCode);
            Assert.Equal("a", NamedUpstream.AnsweredBy(notRetried));
        }

        slow.OpenGate();
        using (var response = await retried)
        {
            Assert.Equal("b", NamedUpstream.AnsweredBy(response));
        }

        // The retry slot was given back: a failure is retried again (round robin: b, then a retried on b).
        using var toB = await client.GetAsync("/slow");
        using var again = await client.GetAsync("/slow");
        Assert.Equal("b", NamedUpstream.AnsweredBy(again));
        Assert.Equal(3, failing.Count);
    }

    [Fact]
    public async Task WebSocketTunnel_HoldsItsSlotUntilClosed()
    {
        await using var upstream = await TestUpstream.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Run(async context =>
            {
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    await context.Response.WriteAsync("plain");
                    return;
                }

                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[64];
                while ((await socket.ReceiveAsync(buffer, context.RequestAborted)).MessageType != WebSocketMessageType.Close)
                {
                }

                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
            });
        });
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("ws", u => u.Endpoint(upstream.Address).ConnectionPool(p => p.Http2MaxRequests(1)))
            .AddRoute("all", r => r.RouteTo("ws")));
        using var client = gateway.CreateClient();
        using var socket = new ClientWebSocket();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await socket.ConnectAsync(new Uri(gateway.Address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws"), deadline.Token);
        using (var whileOpen = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, whileOpen.StatusCode);
            Assert.Equal(Overflow, await whileOpen.Content.ReadAsStringAsync());
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);

        await Poll.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync("/");
                return response.StatusCode == HttpStatusCode.OK;
            },
            "the tunnel's slot to be released");
    }

    [Fact]
    public async Task MaxRequestsPerConnectionOne_EveryRequestOnItsOwnConnection()
    {
        await using var upstream = await NamedUpstream.StartAsync("up");
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).ConnectionPool(p => p.MaxRequestsPerConnection(1)))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var client = gateway.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var requests = upstream.Requests.ToArray();
        Assert.Equal(3, requests.Select(r => r.ConnectionId).Distinct().Count());
        Assert.All(requests, r => Assert.Equal("close", r.Connection));
    }

    [Fact]
    public async Task NoConnectionPool_KeepAliveReused()
    {
        await using var upstream = await NamedUpstream.StartAsync("up");
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var client = gateway.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/");
        }

        Assert.Single(upstream.Requests.Select(r => r.ConnectionId).Distinct());
    }
}
