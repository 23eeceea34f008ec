using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Gateway.Middleware.Routing.Actions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Middleware.Tests.Routing.Actions;

/// <summary>
/// Istio <c>HTTPFaultInjection</c> (Envoy's fault filter): each fault drawn per request for its percentage;
/// the delay runs on the injected <see cref="TimeProvider"/>, before the abort and before forwarding.
/// </summary>
public sealed class FaultActionTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 1000)]
    public void ShouldAbort_ZeroOrHundredPercent_IsDeterministic(double percentage, int expected)
    {
        var fault = new FaultAction(new FaultConfig { AbortStatus = 503, AbortPercentage = percentage });

        Assert.Equal(expected, Count(fault.ShouldAbort, 1000));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 1000)]
    public void ShouldDelay_ZeroOrHundredPercent_IsDeterministic(double percentage, int expected)
    {
        var fault = new FaultAction(new FaultConfig { Delay = TimeSpan.FromSeconds(1), DelayPercentage = percentage });

        Assert.Equal(expected, Count(fault.ShouldDelay, 1000));
    }

    [Fact]
    public void ShouldAbort_TwentyFivePercent_AbortsAboutAQuarter()
    {
        var fault = new FaultAction(new FaultConfig { AbortStatus = 503, AbortPercentage = 25 });

        // 10,000 draws: the standard deviation is ~43, the tolerance over 10 of them.
        Assert.InRange(Count(fault.ShouldAbort, 10_000), 2_000, 3_000);
    }

    [Fact]
    public void Should_FaultWithoutThatPart_NeverFires()
    {
        var abortOnly = new FaultAction(new FaultConfig { AbortStatus = 500 });
        var delayOnly = new FaultAction(new FaultConfig { Delay = TimeSpan.FromSeconds(1) });
        var zeroDelay = new FaultAction(new FaultConfig { Delay = TimeSpan.Zero, AbortStatus = 500 });

        Assert.False(abortOnly.ShouldDelay());
        Assert.False(delayOnly.ShouldAbort());
        Assert.False(zeroDelay.ShouldDelay());
        Assert.True(zeroDelay.ShouldAbort());
    }

    [Fact]
    public async Task Delay_TimeAdvancesPastDelay_ThenAborts()
    {
        var time = new SignallingTimeProvider();
        await using var app = await StartAsync(time, r => r.Fault(f => f.Delay(TimeSpan.FromSeconds(7)).Abort(503)).RouteTo("up"));
        using var client = app.GetTestClient();

        var pending = client.GetAsync("/ratings");
        await time.TimerCreated.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromMilliseconds(1));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("fault filter abort", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Delay_ClientAbortsWhileDelayed_NothingIsForwarded()
    {
        var time = new SignallingTimeProvider();
        var finished = new TaskCompletionSource<Uri?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await StartAsync(time, r => r.Fault(f => f.Delay(TimeSpan.FromMinutes(10))).RouteTo("up"), finished);
        using var client = app.GetTestClient();
        using var cancel = new CancellationTokenSource();

        var pending = client.GetAsync("/ratings", cancel.Token);
        await time.TimerCreated.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        var endpoint = await finished.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Null(endpoint);
    }

    private static int Count(Func<bool> draw, int times)
    {
        var count = 0;
        for (var i = 0; i < times; i++)
        {
            count += draw() ? 1 : 0;
        }

        return count;
    }

    private static async Task<WebApplication> StartAsync(TimeProvider time, Action<GatewayRouteBuilder> route, TaskCompletionSource<Uri?>? finished = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(time);
        builder.Services.AddGateway()
            .AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("faulty", route);
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            await next(context);
            finished?.TrySetResult(context.Features.Get<IGatewayFeature>()?.Endpoint);
        });
        app.UseGateway();
        await app.StartAsync();
        return app;
    }

    /// <summary>Tells the test when the delay's timer exists, so advancing the clock cannot race it.</summary>
    private sealed class SignallingTimeProvider : FakeTimeProvider
    {
        public TaskCompletionSource TimerCreated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                TimerCreated.TrySetResult();
            }

            return timer;
        }
    }
}
