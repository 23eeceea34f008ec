using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>
/// Istio <c>mirror</c>/<c>mirrors</c>/<c>mirrorPercentage</c> as Envoy's <c>request_mirror_policies</c>: fire and
/// forget, the copy's Host suffixed <c>-shadow</c>, the client answered by the primary only.
/// </summary>
public sealed class MirrorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>Envoy <c>shadowAppendedHost</c>: the suffix goes before the port, never inside an IPv6 literal.</summary>
    [Theory]
    [InlineData("reviews.example.com", "reviews.example.com-shadow")]
    [InlineData("reviews.example.com:8080", "reviews.example.com-shadow:8080")]
    [InlineData("127.0.0.1:5000", "127.0.0.1-shadow:5000")]
    [InlineData("[::1]:8080", "[::1]-shadow:8080")]
    [InlineData("[::1]", "[::1]-shadow")]
    public void ShadowHost_AppendsSuffixBeforePort(string host, string expected)
        => Assert.Equal(expected, MirrorSender.ShadowHost(host));

    [Theory]
    [InlineData("reviews.example.com", "reviews.example.com-shadow")]
    [InlineData("reviews.example.com:8080", "reviews.example.com-shadow:8080")]
    public async Task Mirror100Percent_CopyCarriesShadowHost_ClientAnsweredByPrimaryOnly(string host, string expectedShadowHost)
    {
        await using var primary = await TestUpstream.StartAsync(static context => context.Response.WriteAsync("primary"));
        await using var mirror = await RecordingUpstream.StartAsync(static context => context.Response.WriteAsync("mirror"));
        await using var gateway = await StartGatewayAsync(primary.Address, mirror.Address, r => r.Mirror("mirror"));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reviews/1?user=jason");
        request.Headers.Host = host;
        request.Headers.Add("x-custom", "kept");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("primary", await response.Content.ReadAsStringAsync());
        var copy = await mirror.WaitForAsync(1);
        Assert.Equal(expectedShadowHost, copy[0].Host);
        Assert.Equal("GET", copy[0].Method);
        Assert.Equal("/reviews/1?user=jason", copy[0].Target);
        Assert.Equal("kept", copy[0].Headers["x-custom"]);
    }

    [Fact]
    public async Task Mirror_CopyCarriesThePrimarysGeneratedRequestId()
    {
        await using var primary = await HeaderRecordingUpstream.StartAsync();
        await using var mirror = await RecordingUpstream.StartAsync(static _ => Task.CompletedTask);
        await using var gateway = await StartGatewayAsync(primary.Address, mirror.Address, r => r.Mirror("mirror"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        // One id per client request (Envoy's connection manager), so the copy can be matched with the original.
        var id = primary.Seen!["x-request-id"];
        Assert.True(Guid.TryParse(id, out _), id);
        Assert.Equal(id, (await mirror.WaitForAsync(1))[0].Headers["x-request-id"]);
    }

    [Fact]
    public async Task Mirror_PostBody_CopyReceivesTheWholeBodyAsTheClientSentIt()
    {
        await using var primary = await TestUpstream.StartAsync(static async context =>
        {
            var body = await BodyForwardingTests.ReadAllAsync(context.Request.Body);
            await context.Response.WriteAsync($"{body.Length}:{Sum(body)}");
        });
        await using var mirror = await RecordingUpstream.StartAsync(static _ => Task.CompletedTask);
        await using var gateway = await StartGatewayAsync(primary.Address, mirror.Address, r => r.Mirror("mirror"));
        using var client = gateway.CreateClient();
        var payload = new byte[600_000];
        new Random(3).NextBytes(payload);
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");

        using var response = await client.PostAsync("/upload", content);

        Assert.Equal($"{payload.Length}:{Sum(payload)}", await response.Content.ReadAsStringAsync());
        var copy = (await mirror.WaitForAsync(1))[0];
        Assert.Equal("POST", copy.Method);
        Assert.Equal(payload.Length, copy.BodyLength);
        Assert.Equal(Sum(payload), copy.BodySum);
        Assert.Equal("application/octet-stream", copy.Headers["Content-Type"]);
        Assert.Equal(payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), copy.Headers["Content-Length"]);
    }

    [Fact]
    public async Task Mirror_NeverAnswers_ClientAnsweredPromptly()
    {
        var mirrorStuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var primary = await TestUpstream.StartAsync(static context => context.Response.WriteAsync("primary"));
        await using var mirror = await RecordingUpstream.StartAsync(async context =>
        {
            mirrorStuck.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        });
        await using var gateway = await StartGatewayAsync(primary.Address, mirror.Address, r => r.Mirror("mirror"));
        using var client = gateway.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync("/").WaitAsync(Deadline);
            Assert.Equal("primary", await response.Content.ReadAsStringAsync());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }

        await mirrorStuck.Task.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Mirror_ConnectionRefused_ClientUnaffected()
    {
        await using var primary = await TestUpstream.StartAsync(static context => context.Response.WriteAsync("primary"));
        await using var gateway = await StartGatewayAsync(primary.Address, $"http://127.0.0.1:{ErrorMappingTests.GetClosedPort()}", r => r.Mirror("mirror"));
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("/", new StringContent("body"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("primary", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mirror_NeverReadsTheBody_AbandonedWithoutHoldingBackTheUpload()
    {
        await using var primary = await TestUpstream.StartAsync(static async context =>
        {
            var body = await BodyForwardingTests.ReadAllAsync(context.Request.Body);
            await context.Response.WriteAsync($"got {body.Length}");
        });
        using var mirror = new NonReadingUpstream();
        var events = new LogEvents();
        await using var gateway = await GatewayHost.StartAsync(g =>
        {
            g.Services.AddSingleton<ILoggerProvider>(events);
            g.Services.AddLogging(logging => logging.AddFilter<LogEvents>(null, LogLevel.Information));
            g.AddUpstream("primary", u => u.Endpoint(primary.Address))
             .AddUpstream("mirror", u => u.Endpoint(mirror.Address))
             .AddRoute("all", r => r.RouteTo("primary").Mirror("mirror"));
        });
        using var client = gateway.CreateClient();

        // Far more than the mirror may lag behind, even after the gateway's socket send buffer (up to 4 MB with
        // Linux autotuning) has filled: the copy is abandoned, the upload goes on at the primary's pace.
        var size = 16 * MirrorBodyContent.BufferLimit;
        using var response = await client.PostAsync("/upload", new ByteArrayContent(new byte[size])).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"got {size}", await response.Content.ReadAsStringAsync());
        Assert.Contains(Gateway.Middleware.Diagnostics.EventIds.MirrorAbandoned, events.Ids);

        // The abandoned copy's request is cancelled at once (it ends as failed), long before its own 30 s deadline.
        await events.WaitForAsync(Gateway.Middleware.Diagnostics.EventIds.MirrorFailed);
    }

    [Fact]
    public async Task Mirror_ClientAbortsRequest_CopyCarriesOn()
    {
        var primaryAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseMirror = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mirrorOutcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var primary = await TestUpstream.StartAsync(async context =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                primaryAborted.TrySetResult();
            }
        });
        await using var mirror = await RecordingUpstream.StartAsync(async context =>
        {
            await releaseMirror.Task;
            mirrorOutcome.TrySetResult(context.RequestAborted.IsCancellationRequested);
            await context.Response.WriteAsync("mirror");
        });
        await using var gateway = await StartGatewayAsync(primary.Address, mirror.Address, r => r.Mirror("mirror"));
        using var client = gateway.CreateClient();
        using var abort = new CancellationTokenSource();

        var call = client.GetAsync("/", abort.Token);
        await mirror.WaitForAsync(1);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await primaryAborted.Task.WaitAsync(Deadline);
        releaseMirror.SetResult();

        // The client's abort reached the primary, yet the copy was still live: it is not the client's request.
        Assert.False(await mirrorOutcome.Task.WaitAsync(Deadline));
    }

    [Fact]
    public async Task MirrorZeroPercent_SendsNothing()
    {
        await using var primary = await TestUpstream.StartAsync(static context => context.Response.WriteAsync("primary"));
        await using var mirror = await RecordingUpstream.StartAsync(static _ => Task.CompletedTask);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("primary", u => u.Endpoint(primary.Address))
            .AddUpstream("mirror", u => u.Endpoint(mirror.Address))
            .AddRoute("never", r => r.MatchPathPrefix("/never").RouteTo("primary").Mirror("mirror", percentage: 0))
            .AddRoute("sentinel", r => r.MatchPathPrefix("/sentinel").RouteTo("primary").Mirror("mirror", percentage: 100)));
        using var client = gateway.CreateClient();

        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync($"/never/{i}");
            Assert.Equal("primary", await response.Content.ReadAsStringAsync());
        }

        // A mirrored request sent after them: once its copy has arrived, any copy of the others would have too.
        using (var sentinel = await client.GetAsync("/sentinel"))
        {
            Assert.Equal("primary", await sentinel.Content.ReadAsStringAsync());
        }

        var seen = await mirror.WaitForAsync(1);
        Assert.Equal("/sentinel", Assert.Single(seen).Target);
    }

    [Fact]
    public async Task SeveralMirrors_EachGetsACopy()
    {
        await using var primary = await TestUpstream.StartAsync(static context => context.Response.WriteAsync("primary"));
        await using var first = await RecordingUpstream.StartAsync(static _ => Task.CompletedTask);
        await using var second = await RecordingUpstream.StartAsync(static _ => Task.CompletedTask);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("primary", u => u.Endpoint(primary.Address))
            .AddUpstream("first", u => u.Endpoint(first.Address))
            .AddUpstream("second", u => u.Endpoint(second.Address))
            .AddRoute("all", r => r.RouteTo("primary").Mirror("first").Mirror("second")));
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("/both", new StringContent("twice"));

        Assert.Equal("primary", await response.Content.ReadAsStringAsync());
        Assert.Equal(5, (await first.WaitForAsync(1))[0].BodyLength);
        Assert.Equal(5, (await second.WaitForAsync(1))[0].BodyLength);
    }

    private static Task<GatewayHost> StartGatewayAsync(string primary, string mirror, Action<GatewayRouteBuilder> route)
        => GatewayHost.StartAsync(g => g
            .AddUpstream("primary", u => u.Endpoint(primary))
            .AddUpstream("mirror", u => u.Endpoint(mirror))
            .AddRoute("all", r =>
            {
                r.RouteTo("primary");
                route(r);
            }));

    private static long Sum(byte[] bytes)
    {
        long sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }

        return sum;
    }

    /// <summary>
    /// A TCP upstream that accepts connections and never reads from them, with a small receive buffer (loopback
    /// autotuning would otherwise absorb tens of MB).
    /// </summary>
    private sealed class NonReadingUpstream : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly ConcurrentQueue<Socket> _accepted = new();

        public NonReadingUpstream()
        {
            _listener.ReceiveBufferSize = 16 * 1024;
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen();
            _ = AcceptAsync();
        }

        public string Address => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";

        public void Dispose()
        {
            _listener.Dispose();
            while (_accepted.TryDequeue(out var socket))
            {
                socket.Dispose();
            }
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    _accepted.Enqueue(await _listener.AcceptAsync());
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Collects the ids of the gateway's log events.</summary>
    internal sealed class LogEvents : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<int> _ids = new();

        public int[] Ids => [.. _ids];

        public async Task WaitForAsync(int id)
        {
            var clock = Stopwatch.StartNew();
            while (!_ids.Contains(id))
            {
                if (clock.Elapsed > Deadline)
                {
                    throw new TimeoutException($"No log event {id}; saw {string.Join(", ", _ids)}.");
                }

                await Task.Delay(10);
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _ids.Enqueue(eventId.Id);

        public void Dispose()
        {
        }
    }

    private sealed record Seen(string Method, string Target, string Host, Dictionary<string, string> Headers, long BodyLength, long BodySum);

    /// <summary>An upstream that records every request (head and body) when it arrives, then runs a handler.</summary>
    private sealed class RecordingUpstream : IAsyncDisposable
    {
        private readonly ConcurrentQueue<Seen> _seen;
        private readonly TestUpstream _upstream;

        private RecordingUpstream(TestUpstream upstream, ConcurrentQueue<Seen> seen)
        {
            _upstream = upstream;
            _seen = seen;
        }

        public string Address => _upstream.Address;

        public static async Task<RecordingUpstream> StartAsync(RequestDelegate then, bool readBody = true)
        {
            var seen = new ConcurrentQueue<Seen>();
            var upstream = await TestUpstream.StartAsync(async context =>
            {
                var request = context.Request;
                var headers = HeaderRecordingUpstream.Snapshot(request.Headers);
                var body = readBody ? await BodyForwardingTests.ReadAllAsync(request.Body) : [];
                seen.Enqueue(new Seen(request.Method, request.Path + request.QueryString, request.Host.Value ?? "", headers, body.Length, Sum(body)));
                await then(context);
            });
            return new RecordingUpstream(upstream, seen);
        }

        /// <summary>Polls, up to a deadline, until at least <paramref name="count"/> requests have been recorded.</summary>
        public async Task<Seen[]> WaitForAsync(int count)
        {
            var deadline = Stopwatch.StartNew();
            while (_seen.Count < count)
            {
                if (deadline.Elapsed > Deadline)
                {
                    throw new TimeoutException($"Saw {_seen.Count} of {count} mirrored requests.");
                }

                await Task.Delay(10);
            }

            return [.. _seen];
        }

        public ValueTask DisposeAsync() => _upstream.DisposeAsync();
    }
}
