using System.Diagnostics.Metrics;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Diagnostics;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Diagnostics;

/// <summary>
/// Recording a request allocates nothing of the gateway's own (issue #7, "Hot path"): the tag list is on the
/// stack, status codes are boxed once, methods map to cached strings. Measured with a listener that itself
/// allocates nothing, so any byte counted is the gateway's.
/// </summary>
public sealed class GatewayMetricsAllocationTests
{
    [Theory]
    [InlineData("GET", 200, "-")]
    [InlineData("purge", 404, "NR")]
    [InlineData("POST", 503, "UF")]
    public void RequestCompleted_Listened_ZeroBytesAllocated(string method, int status, string flags)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new GatewayMetrics(services.GetRequiredService<IMeterFactory>());
        using var snapshot = GatewayConfigCompiler.Compile(new GatewayConfig(
            [new RouteConfig { Name = "reviews", Destinations = [new DestinationConfig("reviews", 100) { Subset = "v1" }] }],
            [new UpstreamConfig { Name = "reviews", Endpoints = [new EndpointConfig("http://127.0.0.1:1") { Labels = new Dictionary<string, string> { ["version"] = "v1" } }], Subsets = [new SubsetConfig("v1", new Dictionary<string, string> { ["version"] = "v1" })] }]));
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString("example.com");
        var route = snapshot.Servers.ForPort(0).MatchHost("example.com")!.Match(context)!;
        var feature = status == 404 ? null : new GatewayFeature(snapshot) { Route = route, Cluster = snapshot.Clusters[0] };

        long measurements = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, services.GetRequiredService<IMeterFactory>()))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref measurements));
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref measurements));
        listener.Start();
        Assert.True(metrics.RequestsEnabled);

        var least = long.MaxValue;
        for (var round = 0; round < 5 && least > 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                metrics.RequestCompleted(feature, method, status, flags, TimeSpan.FromMilliseconds(3));
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
        Assert.True(Interlocked.Read(ref measurements) >= 20_000);
    }
}
