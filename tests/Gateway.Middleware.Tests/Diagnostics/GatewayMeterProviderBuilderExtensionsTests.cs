using System.Net;
using Gateway.Middleware.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Gateway.Middleware.Tests.Diagnostics;

/// <summary><c>AddGatewayInstrumentation()</c> subscribes an OpenTelemetry meter provider to the gateway's meter.</summary>
public sealed class GatewayMeterProviderBuilderExtensionsTests
{
    [Fact]
    public async Task AddGatewayInstrumentation_InMemoryExporter_ExportsGatewayRequests()
    {
        // The SDK listens by meter name, process-wide: a route name of its own tells this test's points apart.
        var route = "otel-" + Guid.NewGuid().ToString("N");
        var exported = new List<Metric>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddGatewayInstrumentation().AddInMemoryExporter(exported).Build();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGateway()
            .AddRoute(route, r => r.DirectResponse(204));
        await using var app = builder.Build();
        app.UseGateway();
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        provider.ForceFlush();

        // Other hosts alive in this process (each service provider has its own meter) export their own streams.
        var points = new List<MetricPoint>();
        foreach (var requests in exported.Where(m => m.Name == GatewayMetrics.RequestsName))
        {
            Assert.Equal(GatewayDiagnostics.MeterName, requests.MeterName);
            Assert.Equal("{request}", requests.Unit);
            foreach (ref readonly var point in requests.GetMetricPoints())
            {
                points.Add(point);
            }
        }

        var ours = Assert.Single(points, p => Tag(p, "gateway.route") as string == route);
        Assert.Equal(1, ours.GetSumLong());
        Assert.Equal(204, Tag(ours, "http.response.status_code"));
        Assert.Equal("GET", Tag(ours, "http.request.method"));
        Assert.Contains(exported, m => m.Name == GatewayMetrics.RequestDurationName && m.Unit == "s");
    }

    private static object? Tag(MetricPoint point, string name)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == name)
            {
                return tag.Value;
            }
        }

        return null;
    }
}
