using System.Collections;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Gateway.Middleware.FunctionalTests.Diagnostics;

/// <summary>
/// An OpenTelemetry TracerProvider with <c>AddGatewayInstrumentation()</c> and the in-memory exporter, exporting into a
/// list that is safe to read while spans end on other threads.
/// </summary>
internal sealed class TracingCapture : ICollection<Activity>, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly List<Activity> _spans = [];
    private readonly TracerProvider _provider;

    public TracingCapture(bool aspNetCore = false)
    {
        var builder = Sdk.CreateTracerProviderBuilder().AddGatewayInstrumentation();
        if (aspNetCore)
        {
            // What OpenTelemetry.Instrumentation.AspNetCore subscribes to: ASP.NET Core's request activity is recorded.
            builder.AddSource("Microsoft.AspNetCore");
        }

        _provider = builder.AddInMemoryExporter(this).Build()!;
    }

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    /// <summary>The ended spans of one trace.</summary>
    public Activity[] Trace(ActivityTraceId traceId)
    {
        lock (_spans)
        {
            return [.. _spans.Where(span => span.TraceId == traceId)];
        }
    }

    /// <summary>The ended spans of one trace once <paramref name="done"/> holds (spans end just after the client has its answer).</summary>
    public async Task<Activity[]> WaitForTraceAsync(ActivityTraceId traceId, Func<Activity[], bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var spans = Trace(traceId);
            if (done(spans) || DateTime.UtcNow > deadline)
            {
                return spans;
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits for the gateway's server span and <paramref name="clientSpans"/> client spans of a trace.</summary>
    public Task<Activity[]> WaitForGatewaySpansAsync(ActivityTraceId traceId, int clientSpans)
        => WaitForTraceAsync(traceId, spans => spans.Count(IsGatewayServer) == 1 && spans.Count(IsGatewayClient) >= clientSpans);

    public static bool IsGatewayServer(Activity span) => span.Source.Name == "Gateway.Middleware" && span.Kind == ActivityKind.Server;

    public static bool IsGatewayClient(Activity span) => span.Source.Name == "Gateway.Middleware" && span.Kind == ActivityKind.Client;

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_spans)
        {
            return ((IEnumerable<Activity>)[.. _spans]).GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => _provider.Dispose();
}
