using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Diagnostics;

/// <summary>
/// Records every measurement of the gateway meter of one host: the listener only enables instruments whose meter
/// came from that host's <see cref="IMeterFactory"/>, so tests running in parallel never see each other's points.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<MetricPoint> _points = new();

    public MetricRecorder(IServiceProvider services, Func<string, bool>? instruments = null)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == GatewayDiagnostics.MeterName && instruments?.Invoke(instrument.Name) != false)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<MetricPoint> Points(string instrument) => [.. _points.Where(p => p.Instrument == instrument)];

    /// <summary>Reads the observable instruments (gauges) now and returns the value of <paramref name="instrument"/> for the cluster.</summary>
    public double? Observe(string instrument, string cluster)
    {
        _listener.RecordObservableInstruments();
        return _points.LastOrDefault(p => p.Instrument == instrument && Equals(p["gateway.cluster"], cluster))?.Value;
    }

    /// <summary>
    /// The first point of <paramref name="instrument"/> matching <paramref name="match"/>, polling: the gateway records
    /// a request once its pipeline is done, which may be just after the client has read the response.
    /// </summary>
    public async Task<MetricPoint> WaitForAsync(string instrument, Func<MetricPoint, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var found = _points.FirstOrDefault(p => p.Instrument == instrument && match(p));
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No {instrument} point matched; recorded: {string.Join("; ", _points)}");
            }

            await Task.Delay(10);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(tags.Length);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _points.Enqueue(new MetricPoint(instrument.Name, value, copy));
    }
}
