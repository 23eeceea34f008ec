using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.AccessLog;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.TrafficPolicy;

/// <summary>
/// Istio <c>outlierDetection</c> over real upstreams: a failing endpoint is ejected after consecutive errors,
/// traffic moves to the healthy ones, and the endpoint comes back after the ejection time (driven by
/// a stepped clock).
/// </summary>
public sealed class OutlierDetectionTests : IAsyncLifetime
{
    private static readonly TimeSpan EjectionTime = TimeSpan.FromSeconds(30);
    private readonly SteppedClock _time = new();
    private NamedUpstream[] _upstreams = [];

    public async Task InitializeAsync() => _upstreams = await NamedUpstream.StartManyAsync("a", "b", "c");

    public async Task DisposeAsync() => await NamedUpstream.DisposeAllAsync(_upstreams);

    [Fact]
    public async Task Consecutive5xx_FailingEndpointEjected_TrafficMovesToHealthy_BackAfterEjectionTime()
    {
        _upstreams[0].Status = 500;
        var log = new AccessLogSink("Gateway.Middleware.Configuration", LogLevel.Information);
        await using var gateway = await StartAsync(2, o => o.Consecutive5xxErrors(2).BaseEjectionTime(EjectionTime), log);
        using var client = gateway.CreateClient();

        // Round robin: a, b, a (second 500 in a row: ejected), b.
        Assert.Equal(["a", "b", "a", "b"], await ServedAsync(client, 4));
        Assert.Equal(2, _upstreams[0].Count);

        Assert.All(await ServedAsync(client, 6), name => Assert.Equal("b", name));
        Assert.Equal(2, _upstreams[0].Count);

        _time.Advance(EjectionTime);
        _upstreams[0].Status = 200;

        Assert.Equal(["a", "b"], (await ServedAsync(client, 4)).Distinct().Order());
        var cluster = "outbound|||reviews";
        Assert.Contains($"Outlier detection ejected endpoint {_upstreams[0].Address} of cluster {cluster} for 00:00:30 after 2 consecutive 5xx errors (ejection 1).", log.Lines);
        Assert.Contains($"Outlier detection readmitted endpoint {_upstreams[0].Address} of cluster {cluster}.", log.Lines);
    }

    [Fact]
    public async Task MaxEjectionPercent_OnlyThatShareOfFailingEndpointsEjected()
    {
        foreach (var upstream in _upstreams)
        {
            upstream.Status = 503;
        }

        // 3 endpoints, 50%: the first ejection is always allowed, a second would make 67%.
        await using var gateway = await StartAsync(3, o => o.Consecutive5xxErrors(1).MaxEjectionPercent(50));
        using var client = gateway.CreateClient();

        await ServedAsync(client, 3);
        var served = await ServedAsync(client, 8);

        Assert.Equal(2, served.Distinct().Count());
        Assert.All(served, name => Assert.NotEqual("a", name));
    }

    [Fact]
    public async Task AllEjected_503NoHealthyUpstream_UntilReadmitted()
    {
        _upstreams[0].Status = 500;
        _upstreams[1].Status = 502;
        await using var gateway = await StartAsync(2, o => o.Consecutive5xxErrors(1).MaxEjectionPercent(100).BaseEjectionTime(EjectionTime));
        using var client = gateway.CreateClient();
        await ServedAsync(client, 2);

        using (var response = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("no healthy upstream", await response.Content.ReadAsStringAsync());
        }

        _time.Advance(EjectionTime);
        _upstreams[0].Status = 200;
        _upstreams[1].Status = 200;

        Assert.Equal(["a", "b"], (await ServedAsync(client, 2)).Order());
    }

    [Fact]
    public async Task MinHealthPercent_AllEjected_PanicServesEveryEndpoint()
    {
        _upstreams[0].Status = 500;
        _upstreams[1].Status = 500;
        await using var gateway = await StartAsync(2, o => o.Consecutive5xxErrors(1).MaxEjectionPercent(100).MinHealthPercent(50));
        using var client = gateway.CreateClient();
        await ServedAsync(client, 2);

        // 0% healthy is below 50%: Envoy's panic mode ignores the ejections instead of answering 503.
        Assert.Equal(["a", "b"], (await ServedAsync(client, 2)).Order());
    }

    [Fact]
    public async Task ConnectFailure_CountsAs503_DeadEndpointEjected()
    {
        await using var gateway = await GatewayHost.StartAsync(g =>
        {
            g.Services.AddSingleton<TimeProvider>(_time);
            g.AddUpstream("reviews", u => u
                    .Endpoint($"http://127.0.0.1:{ErrorMappingTests.GetClosedPort()}")
                    .Endpoint(_upstreams[1].Address)
                    .LoadBalancer(LoadBalancerPolicy.RoundRobin)
                    .OutlierDetection(o => o.ConsecutiveGatewayErrors(2).Consecutive5xxErrors(0)))
                .AddRoute("all", r => r.RouteTo("reviews").Retries(0));
        });
        using var client = gateway.CreateClient();

        Assert.Equal(["gateway 503", "b", "gateway 503", "b"], await ServedAsync(client, 4));

        Assert.All(await ServedAsync(client, 4), name => Assert.Equal("b", name));
    }

    private Task<GatewayHost> StartAsync(int endpoints, Action<GatewayOutlierDetectionBuilder> outlier, AccessLogSink? log = null)
        => GatewayHost.StartAsync(g =>
        {
            g.Services.AddSingleton<TimeProvider>(_time);
            if (log is not null)
            {
                g.Services.AddSingleton<ILoggerProvider>(log);
                g.Services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(null, "Gateway.Middleware.Configuration", LogLevel.Information, null)));
            }

            g.AddUpstream("reviews", u =>
                {
                    for (var i = 0; i < endpoints; i++)
                    {
                        u.Endpoint(_upstreams[i].Address);
                    }

                    u.LoadBalancer(LoadBalancerPolicy.RoundRobin).OutlierDetection(outlier);
                })
                .AddRoute("all", r => r.RouteTo("reviews"));
        });

    private static async Task<List<string>> ServedAsync(HttpClient client, int count)
    {
        var served = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync("/");
            served.Add(NamedUpstream.AnsweredBy(response));
        }

        return served;
    }
}
