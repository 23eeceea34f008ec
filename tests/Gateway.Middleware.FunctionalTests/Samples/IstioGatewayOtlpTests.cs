using System.Collections.Concurrent;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.FunctionalTests.TrafficPolicy;
using IstioGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>The host exports over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (OpenTelemetry's standard variables).</summary>
public sealed class IstioGatewayOtlpTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gw-otlp-").FullName;

    public Task InitializeAsync()
        => File.WriteAllTextAsync(Path.Combine(_folder, "gateway.yaml"), $$"""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              servers:
              - port: {number: {{ErrorMappingTests.GetClosedPort()}}, name: http, protocol: HTTP}
                hosts: ["*"]
            """);

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OtlpEndpointSet_MetricsPostedToTheCollector_TracingOn()
    {
        // A stand-in collector speaking OTLP/HTTP: records the paths the exporter posts protobuf to.
        var posts = new ConcurrentQueue<string>();
        await using var collector = await TestUpstream.StartAsync(context =>
        {
            posts.Enqueue($"{context.Request.Method} {context.Request.Path} {context.Request.ContentType}");
            return Task.CompletedTask;
        });
        await using var host = await IstioGatewayHost.BuildAsync(["--config", _folder, "--address", "127.0.0.1", "--status-port=0"], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address;
            builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            builder.Configuration["OTEL_METRIC_EXPORT_INTERVAL"] = "100";
        });
        await host.StartAsync();

        using var client = new HttpClient();
        using var ready = await client.GetAsync($"http://127.0.0.1:{host.StatusPort}/healthz/ready");
        await Poll.UntilAsync(() => posts.Any(p => p.StartsWith("POST /v1/metrics application/x-protobuf", StringComparison.Ordinal)), "an OTLP metrics export");

        Assert.NotNull(host.Services.GetService<TracerProvider>());
        await host.StopAsync();
    }

    [Fact]
    public async Task NoOtlpEndpoint_NoTracerProvider_PrometheusStillServed()
    {
        await using var host = await IstioGatewayHost.BuildAsync(["--config", _folder, "--address", "127.0.0.1", "--status-port=0"], builder => builder.Logging.ClearProviders());
        await host.StartAsync();
        using var client = new HttpClient();

        using var scrape = await client.GetAsync($"http://127.0.0.1:{host.StatusPort}/stats/prometheus");

        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Equal(System.Net.HttpStatusCode.OK, scrape.StatusCode);
        await host.StopAsync();
    }
}
