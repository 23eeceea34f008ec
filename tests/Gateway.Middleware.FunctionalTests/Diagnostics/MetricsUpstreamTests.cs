using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Diagnostics;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.FunctionalTests.TrafficPolicy;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Diagnostics;

/// <summary>
/// Per-cluster metrics over real upstreams: the gauges Envoy keeps as <c>upstream_rq_active</c>,
/// <c>upstream_rq_pending_active</c> and <c>upstream_cx_active</c>, circuit-breaker overflows and outlier ejections.
/// </summary>
public sealed class MetricsUpstreamTests
{
    private const string Cluster = "outbound|||reviews";

    [Fact]
    public async Task CircuitBreaker_GaugesShowActivePendingAndConnections_OverflowCounted()
    {
        await using var upstream = await NamedUpstream.StartAsync("slow");
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).ConnectionPool(p => p.MaxConnections(1).Http1MaxPendingRequests(1)))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var metrics = new MetricRecorder(gateway.Services);
        using var client = gateway.CreateClient();

        var requests = Enumerable.Range(0, 3).Select(_ => client.GetAsync("/slow")).ToArray();

        // One request on the one connection, one admitted and waiting for it, one refused 503 overflow (UO).
        await Poll.UntilAsync(() => upstream.Held == 1 && requests.Count(r => r.IsCompleted) == 1, "one request held and one refused");
        var overflow = await metrics.WaitForAsync(GatewayMetrics.CircuitBreakerOverflowsName, _ => true);
        Assert.Equal(Cluster, overflow["gateway.cluster"]);
        var refused = await metrics.WaitForAsync(GatewayMetrics.RequestsName, _ => true);
        Assert.Equal("UO", refused["gateway.response_flags"]);
        Assert.Equal(503, refused["http.response.status_code"]);
        await Poll.UntilAsync(() => metrics.Observe(GatewayMetrics.ActiveRequestsName, Cluster) == 2, "two requests active");
        Assert.Equal(1, metrics.Observe(GatewayMetrics.PendingRequestsName, Cluster));
        Assert.Equal(1, metrics.Observe(GatewayMetrics.OpenConnectionsName, Cluster));

        upstream.OpenGate();
        foreach (var request in requests)
        {
            (await request).Dispose();
        }

        await Poll.UntilAsync(() => metrics.Observe(GatewayMetrics.ActiveRequestsName, Cluster) == 0, "no request active");
        Assert.Equal(0, metrics.Observe(GatewayMetrics.PendingRequestsName, Cluster));
        Assert.Single(metrics.Points(GatewayMetrics.CircuitBreakerOverflowsName));
    }

    [Fact]
    public async Task Overflow_OnlyOverflowsListened_StillCounted()
    {
        await using var upstream = await NamedUpstream.StartAsync("slow");
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).ConnectionPool(p => p.Http2MaxRequests(1)))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var metrics = new MetricRecorder(gateway.Services, name => name == GatewayMetrics.CircuitBreakerOverflowsName);
        using var client = gateway.CreateClient();

        var held = client.GetAsync("/slow");
        await Poll.UntilAsync(() => upstream.Held == 1, "one request held");
        using (var refused = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        upstream.OpenGate();
        (await held).Dispose();
        var overflow = await metrics.WaitForAsync(GatewayMetrics.CircuitBreakerOverflowsName, _ => true);
        Assert.Equal(Cluster, overflow["gateway.cluster"]);
        Assert.Empty(metrics.Points(GatewayMetrics.RequestsName));
    }

    [Fact]
    public async Task Consecutive5xx_EndpointEjected_EjectionCountedByCluster()
    {
        await using var failing = await NamedUpstream.StartAsync("a");
        await using var healthy = await NamedUpstream.StartAsync("b");
        failing.Status = 503;
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u
                .Endpoint(failing.Address)
                .Endpoint(healthy.Address)
                .LoadBalancer(LoadBalancerPolicy.RoundRobin)
                .OutlierDetection(o => o.Consecutive5xxErrors(1)))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var metrics = new MetricRecorder(gateway.Services);
        using var client = gateway.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            (await client.GetAsync("/")).Dispose();
        }

        var ejection = await metrics.WaitForAsync(GatewayMetrics.OutlierEjectionsName, _ => true);
        Assert.Equal(Cluster, ejection["gateway.cluster"]);
        Assert.Equal(1, ejection.Value);
        Assert.Single(metrics.Points(GatewayMetrics.OutlierEjectionsName));
        Assert.Equal(1, failing.Count);
    }

    [Fact]
    public async Task Reload_OkAndRejected_CountedByResult()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gw-metrics-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "routes.yaml");
            await File.WriteAllTextAsync(file, "# nothing yet\n");
            await using var gateway = await GatewayHost.StartAsync(g => g.LoadIstioYaml(folder, watch: false));
            var provider = gateway.Services.GetRequiredService<GatewayConfigProvider>();
            using var metrics = new MetricRecorder(gateway.Services);

            Assert.True(provider.Reload());
            await File.WriteAllTextAsync(file, "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: [unclosed\n");
            Assert.False(provider.Reload());
            Assert.NotEmpty(provider.LastRejectedErrors);

            var results = metrics.Points(GatewayMetrics.ConfigReloadsName).Select(p => p["gateway.config.result"]).ToArray();
            Assert.Equal(["ok", "rejected"], results);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
