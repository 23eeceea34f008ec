using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.Routing.Actions;
using Gateway.Middleware.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>
/// Istio <c>HTTPRetry</c> as Envoy applies it (router filter, "x-envoy-retry-on"), with DESIGN.md's default:
/// 2 retries on connect-failure and refused-stream, and a started request body never replayed.
/// </summary>
public sealed class RetryTests
{
    private const string ResetBeforeHeaders = "upstream connect error or disconnect/reset before headers. reset reason: ";

    [Fact]
    public async Task DefaultPolicy_ConnectFailureOnOneEndpoint_EveryRequestSucceedsOnTheOther()
    {
        await using var live = await CountingUpstream.StartAsync(static (_, _) => Results.Text("live"));
        await using var gateway = await StartGatewayAsync(
            u => u.Endpoint(ClosedAddress()).Endpoint(live.Address),
            r => { });
        using var client = gateway.CreateClient();

        // Round robin sends every other first try to the dead endpoint; Istio's default retries it elsewhere.
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("live", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(4, live.Count);
    }

    [Fact]
    public async Task DefaultPolicy_ConnectFailureWithBody_WholeBodyReachesTheOtherEndpoint()
    {
        await using var live = await CountingUpstream.StartAsync(static async (context, _) =>
        {
            var body = await BodyForwardingTests.ReadAllAsync(context.Request.Body);
            return Results.Text($"got {body.Length} bytes, sum {body.Sum(b => (long)b)}");
        });
        await using var gateway = await StartGatewayAsync(u => u.Endpoint(ClosedAddress()).Endpoint(live.Address), r => { });
        using var client = gateway.CreateClient();
        var payload = new byte[300_000];
        new Random(7).NextBytes(payload);

        // A connect failure happens before any byte of the body is read: the untouched body can go to the next endpoint.
        using var response = await client.PostAsync("/upload", new ByteArrayContent(payload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"got {payload.Length} bytes, sum {payload.Sum(b => (long)b)}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DefaultPolicy_503Response_NotRetried()
    {
        await using var upstream = await CountingUpstream.StartAsync(static (_, _) => Results.StatusCode(503));
        await using var gateway = await StartGatewayAsync(u => u.Endpoint(upstream.Address), r => { });
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        // The default retries only failures where the request never reached the upstream; a 503 answer did.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, upstream.Count);
    }

    [Fact]
    public async Task DefaultPolicy_UpstreamClosesBeforeHeaders_NotRetried()
    {
        await using var closing = await RawHttpUpstream.StartAsync(static (_, _) => Task.CompletedTask);
        await using var live = await CountingUpstream.StartAsync(static (_, _) => Results.Text("live"));
        await using var gateway = await StartGatewayAsync(u => u.Endpoint(closing.Address).Endpoint(live.Address), r => { });
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        // A disconnect after the request was sent is "reset", not in the default: the upstream may have acted on it.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(ResetBeforeHeaders + "connection termination", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, live.Count);
    }

    [Fact]
    public async Task DefaultPolicy_RefusedStream_RetriedOnTheNextEndpoint()
    {
        var refused = 0;
        await using var refusing = await TestUpstream.StartAsync(context =>
        {
            Interlocked.Increment(ref refused);
            context.Features.Get<IHttpResetFeature>()!.Reset(0x7); // REFUSED_STREAM: not processed, safe to retry (RFC 9113 §8.7)
            return Task.CompletedTask;
        }, HttpProtocols.Http2);
        await using var live = await CountingUpstream.StartAsync(static (_, _) => Results.Text("live"), HttpProtocols.Http2);
        await using var gateway = await StartGatewayAsync(
            u => u.Endpoint(refusing.Address).Endpoint(live.Address).Protocol(UpstreamProtocol.Http2),
            r => { });
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("live", await response.Content.ReadAsStringAsync());
        Assert.True(Volatile.Read(ref refused) >= 1);
        Assert.Equal(1, live.Count);
    }

    [Fact]
    public async Task AttemptsZero_DisablesTheDefault_ConnectFailureAnswered503()
    {
        await using var live = await CountingUpstream.StartAsync(static (_, _) => Results.Text("live"));
        await using var gateway = await StartGatewayAsync(u => u.Endpoint(ClosedAddress()).Endpoint(live.Address), r => r.Retries(0));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith(ResetBeforeHeaders + "connection failure", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, live.Count);
    }

    [Fact]
    public async Task RetryOn5xx_503ThenHealthyEndpoint_200AfterTwoTries()
    {
        await using var failing = await CountingUpstream.StartAsync(static (_, _) => Results.Text("down", statusCode: 503));
        await using var healthy = await CountingUpstream.StartAsync(static (_, _) => Results.Text("up"));
        await using var gateway = await StartGatewayAsync(u => u.Endpoint(failing.Address).Endpoint(healthy.Address), r => r.Retries(2, retryOn: "5xx"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("up", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, failing.Count);
        Assert.Equal(1, healthy.Count);
    }

    [Fact]
    public async Task RetryOn5xx_AttemptsExhausted_ClientGetsTheLastTrysAnswer()
    {
        await using var upstream = await CountingUpstream.StartAsync(static (_, n) => Results.Text($"try {n}", statusCode: 503));
        await using var gateway = await StartGatewayAsync(u => u.Endpoint(upstream.Address), r => r.Retries(2, retryOn: "5xx"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        // attempts: 2 means up to 3 tries; the third answer is forwarded as it is.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("try 3", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, upstream.Count);
    }

    /// <summary>Envoy router filter, x-envoy-retry-on: which first answers each condition retries.</summary>
    [Theory]
    [InlineData("gateway-error", 502, 200, 2)]
    [InlineData("gateway-error", 503, 200, 2)]
    [InlineData("gateway-error", 504, 200, 2)]
    [InlineData("gateway-error", 500, 500, 1)]
    [InlineData("5xx", 500, 200, 2)]
    [InlineData("5xx", 599, 200, 2)]
    [InlineData("5xx", 409, 409, 1)]
    [InlineData("retriable-4xx", 409, 200, 2)]
    [InlineData("retriable-4xx", 404, 404, 1)]
    [InlineData("retriable-4xx", 503, 503, 1)]
    [InlineData("503", 503, 200, 2)] // Istio: a status code in retryOn becomes a retriable_status_codes entry
    [InlineData("503", 500, 500, 1)]
    [InlineData("connect-failure,418", 418, 200, 2)]
    [InlineData("connect-failure,refused-stream", 503, 503, 1)]
    [InlineData("reset", 503, 503, 1)]
    public async Task RetryOn_FirstAnswer_RetriedOnlyWhenTheConditionCoversIt(string retryOn, int firstStatus, int expectedStatus, int expectedTries)
    {
        await using var upstream = await CountingUpstream.StartAsync((_, n) => n == 1 ? Results.StatusCode(firstStatus) : Results.Text("ok"));
        await using var gateway = await StartGatewayAsync(u => u.Endpoint(upstream.Address), r => r.Retries(2, retryOn: retryOn));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Equal(expectedTries, upstream.Count);
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("5xx")]
    [InlineData("gateway-error")]
    public async Task RetryOnResetConditions_UpstreamClosesBeforeHeaders_RetriedOnTheNextEndpoint(string retryOn)
    {
        await using var closing = await RawHttpUpstream.StartAsync(static (_, _) => Task.CompletedTask);
        await using var live = await CountingUpstream.StartAsync(static (_, _) => Results.Text("live"));
        await using var gateway = await StartGatewayAsync(u => u.Endpoint(closing.Address).Endpoint(live.Address), r => r.Retries(2, retryOn: retryOn));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        // (SocketsHttpHandler itself re-sends a bodyless request on a connection closed before any response
        // byte, up to 3 times, beneath the policy: the closing endpoint may count more than one.)
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("live", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, live.Count);
    }

    [Fact]
    public async Task StartedRequestBody_UpstreamResetsMidBody_NotReplayed()
    {
        var requests = 0;
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            // Takes part of the body, then drops the connection: the gateway has already streamed bytes it cannot send again.
            var buffer = new byte[1024];
            _ = await context.Request.Body.ReadAsync(buffer);
            Interlocked.Increment(ref requests);
            context.Abort();
        });
        await using var gateway = await StartGatewayAsync(u => u.Endpoint(upstream.Address), r => r.Retries(2, retryOn: "5xx,reset,connect-failure"), HttpProtocols.Http2);
        using var client = gateway.CreateClient(HttpVersion.Version20);
        using var content = new ByteArrayContent(new byte[512 * 1024]);

        using var response = await client.PostAsync("/upload", content);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith(ResetBeforeHeaders, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, Volatile.Read(ref requests));
    }

    [Fact]
    public async Task PerTryTimeout_SlowFirstTry_CancelledAndRetried()
    {
        var firstCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await CountingUpstream.StartAsync(async (context, n) =>
        {
            if (n == 1)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    firstCancelled.TrySetResult();
                }
            }

            return Results.Text($"try {n}");
        });
        await using var gateway = await StartGatewayAsync(
            u => u.Endpoint(upstream.Address),
            r => r.Retries(2, perTryTimeout: TimeSpan.FromMilliseconds(200), retryOn: "5xx"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("try 2", await response.Content.ReadAsStringAsync());
        await firstCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PerTryTimeout_PolicyWithoutResetConditions_504AfterOneTry()
    {
        await using var upstream = await CountingUpstream.StartAsync(static async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            return Results.Text("late");
        });
        await using var gateway = await StartGatewayAsync(
            u => u.Endpoint(upstream.Address),
            r => r.Retries(2, perTryTimeout: TimeSpan.FromMilliseconds(200), retryOn: "connect-failure,refused-stream"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        // Envoy retries a per-try timeout only under 5xx, gateway-error or reset.
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, upstream.Count);
    }

    [Fact]
    public async Task RouteTimeout_SpansEveryTry_504BeforeAttemptsRunOut()
    {
        await using var upstream = await CountingUpstream.StartAsync(static async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            return Results.Text("late");
        });
        await using var gateway = await StartGatewayAsync(
            u => u.Endpoint(upstream.Address),
            r => r.Timeout(TimeSpan.FromMilliseconds(500)).Retries(20, perTryTimeout: TimeSpan.FromMilliseconds(150), retryOn: "5xx"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        // About three 150 ms tries fit in 500 ms; far fewer than the 21 allowed. The exact count depends on
        // scheduling under load (a try may not have reached the upstream yet), so only bound it.
        Assert.InRange(upstream.Count, 1, 6);
    }

    [Fact]
    public async Task Retry_EveryTryCarriesTheSameGeneratedRequestId()
    {
        var ids = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var upstream = await CountingUpstream.StartAsync((context, n) =>
        {
            ids.Enqueue(context.Request.Headers["x-request-id"].ToString());
            return n == 1 ? Results.StatusCode(503) : Results.Text("ok");
        });
        await using var gateway = await StartGatewayAsync(u => u.Endpoint(upstream.Address), r => r.Retries(2, retryOn: "5xx"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        // Envoy generates x-request-id once per downstream request; a retry is the same request.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = ids.ToArray();
        Assert.Equal(2, seen.Length);
        Assert.True(Guid.TryParse(seen[0], out _), seen[0]);
        Assert.Equal(seen[0], seen[1]);
    }

    [Fact]
    public async Task Backoff_ClientAborts_RequestEndsAsClientAborted()
    {
        var events = new MirrorTests.LogEvents();
        var observed = new ErrorMappingTests.ErrorObserver();
        await using var gateway = await GatewayHost.StartAsync(
            g =>
            {
                // A clock that never moves: a backoff above 0 ms only ends through cancellation.
                g.Services.AddSingleton<TimeProvider>(new FrozenTimeProvider());
                g.Services.AddSingleton<ILoggerProvider>(events);
                g.Services.AddLogging(logging => logging.AddFilter<MirrorTests.LogEvents>(null, LogLevel.Debug));
                g.AddUpstream("up", u => u.Endpoint(ClosedAddress())).AddRoute("all", r => r.RouteTo("up").Retries(50, retryOn: "connect-failure"));
            },
            beforeGateway: observed.Register);
        using var client = gateway.CreateClient();
        using var abort = new CancellationTokenSource();

        var call = client.GetAsync("/", abort.Token);
        await events.WaitForAsync(Gateway.Middleware.Diagnostics.EventIds.ForwarderRetryAfterFailure);
        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(GatewayForwarderError.ClientAborted, observed.Error);
    }

    /// <summary>Envoy's JitteredExponentialBackOffStrategy with the default 25 ms base and 250 ms cap.</summary>
    [Fact]
    public void RetryState_Backoff_FullyJitteredBelowADoublingCeiling()
    {
        int[] ceilings = [25, 50, 100, 200, 250, 250];
        var longest = new double[ceilings.Length];
        for (var sample = 0; sample < 1000; sample++)
        {
            var state = new RetryState(new RetryPolicy(new Gateway.Middleware.Configuration.RetryConfig { Attempts = ceilings.Length, RetryOn = ["5xx"] }));
            for (var i = 0; i < ceilings.Length; i++)
            {
                var backoff = state.TakeRetry().TotalMilliseconds;
                Assert.InRange(backoff, 0, ceilings[i] - 1);
                longest[i] = Math.Max(longest[i], backoff);
            }
        }

        for (var i = 0; i < ceilings.Length; i++)
        {
            Assert.True(longest[i] >= ceilings[i] / 2, $"retry {i + 1}: longest backoff {longest[i]} ms of {ceilings[i]}");
        }
    }

    private static Task<GatewayHost> StartGatewayAsync(Action<GatewayUpstreamBuilder> upstream, Action<GatewayRouteBuilder> route, HttpProtocols protocols = HttpProtocols.Http1)
        => GatewayHost.StartAsync(
            g => g.AddUpstream("up", upstream).AddRoute("all", r =>
            {
                r.RouteTo("up");
                route(r);
            }),
            protocols);

    private static string ClosedAddress() => $"http://127.0.0.1:{ErrorMappingTests.GetClosedPort()}";

    private sealed class FrozenTimeProvider : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverFires();

        private sealed class NeverFires : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => default;
        }
    }

    /// <summary>A Kestrel upstream that numbers its requests (1, 2, ...) and answers with <c>IResult</c>s.</summary>
    private sealed class CountingUpstream : IAsyncDisposable
    {
        private readonly TestUpstream _upstream;
        private readonly Box _count;

        private CountingUpstream(TestUpstream upstream, Box count)
        {
            _upstream = upstream;
            _count = count;
        }

        public string Address => _upstream.Address;

        /// <summary>Requests received so far (counted when they arrive).</summary>
        public int Count => Volatile.Read(ref _count.Value);

        public static Task<CountingUpstream> StartAsync(Func<HttpContext, int, IResult> answer, HttpProtocols protocols = HttpProtocols.Http1)
            => StartAsync((context, n) => Task.FromResult(answer(context, n)), protocols);

        public static async Task<CountingUpstream> StartAsync(Func<HttpContext, int, Task<IResult>> answer, HttpProtocols protocols = HttpProtocols.Http1)
        {
            var count = new Box();
            var upstream = await TestUpstream.StartAsync(async context =>
            {
                var n = Interlocked.Increment(ref count.Value);
                var result = await answer(context, n);
                await result.ExecuteAsync(context);
            }, protocols);
            return new CountingUpstream(upstream, count);
        }

        public ValueTask DisposeAsync() => _upstream.DisposeAsync();

        private sealed class Box
        {
            public int Value;
        }
    }
}
