using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Diagnostics;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Gateway.Middleware.Benchmarks.Diagnostics;

/// <summary>
/// What recording one request (<c>gateway.requests</c> + <c>gateway.request.duration</c>) costs: with nothing
/// listening, with a bare MeterListener, and with the OpenTelemetry SDK aggregating (what an exporter reads).
/// </summary>
[MemoryDiagnoser]
public class MetricsRecordingBenchmarks : IDisposable
{
    private ServiceProvider _services = null!;
    private GatewayMetrics _metrics = null!;
    private GatewaySnapshot _snapshot = null!;
    private GatewayFeature _feature = null!;
    private MeterListener? _listener;
    private MeterProvider? _provider;

    [Params("none", "MeterListener", "OpenTelemetry")]
    public string Listener { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _metrics = new GatewayMetrics(_services.GetRequiredService<IMeterFactory>());
        _snapshot = GatewayConfigCompiler.Compile(RouteConfigs.Istio(1, hosts: 1));
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(RouteConfigs.HostName(0));
        context.Request.Path = $"/{RouteConfigs.RuleName(0)}/items";
        var route = _snapshot.Servers.ForPort(0).MatchHost(RouteConfigs.HostName(0))!.Match(context)!;
        _feature = new GatewayFeature(_snapshot) { Route = route, Cluster = _snapshot.Clusters[0] };
        if (Listener == "MeterListener")
        {
            _listener = new MeterListener { InstrumentPublished = (instrument, l) => l.EnableMeasurementEvents(instrument) };
            _listener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
            _listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
            _listener.Start();
        }
        else if (Listener == "OpenTelemetry")
        {
            // A reader is what makes the SDK aggregate; it exports to nowhere once a minute.
            _provider = Sdk.CreateMeterProviderBuilder()
                .AddGatewayInstrumentation()
                .AddReader(new PeriodicExportingMetricReader(new NullMetricExporter(), exportIntervalMilliseconds: 60_000))
                .Build();
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _listener?.Dispose();
        _provider?.Dispose();
        _snapshot.Dispose();
        _services.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "record one request (200)")]
    public void Record()
    {
        if (_metrics.RequestsEnabled)
        {
            _metrics.RequestCompleted(_feature, "GET", 200, "-", TimeSpan.FromMilliseconds(3));
        }
    }
}
