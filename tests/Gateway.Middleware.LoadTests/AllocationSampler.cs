using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;

#pragma warning disable CA1050 // Loaded with the startup hook, which must be global.

/// <summary>
/// With <c>LOADTEST_ALLOC_TYPES=1</c>, samples the runtime's allocation ticks (one event per ~100 KB allocated,
/// naming the type that crossed the threshold) so that <c>GET /types</c> on the allocation port lists which
/// types a process allocates under load, in proportion. A profiling aid for docs/performance.md, not a counter:
/// the byte figures are sample weights.
/// </summary>
internal sealed class AllocationSampler : EventListener
#pragma warning restore CA1050
{
    private static readonly Dictionary<string, (long Count, long Bytes)> s_types = new(StringComparer.Ordinal);
    private static AllocationSampler? s_instance;

    public static void Start() => s_instance = new AllocationSampler();

    public static string Report()
    {
        List<KeyValuePair<string, (long Count, long Bytes)>> rows;
        lock (s_types)
        {
            rows = [.. s_types];
            if (s_types.Count > 0)
            {
                s_types.Clear();
            }
        }

        rows.Sort((a, b) => b.Value.Bytes.CompareTo(a.Value.Bytes));
        long total = 0;
        foreach (var row in rows)
        {
            total += row.Value.Bytes;
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{100.0 * row.Value.Bytes / Math.Max(1, total),6:F2}% {row.Value.Count,8} {row.Key}\n");
        }

        GC.KeepAlive(s_instance);
        return text.ToString();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        string? type = null;
        long bytes = 0;
        for (var i = 0; i < eventData.Payload.Count; i++)
        {
            var name = eventData.PayloadNames![i];
            if (name == "TypeName")
            {
                type = eventData.Payload[i] as string;
            }
            else if (name == "AllocationAmount64")
            {
                bytes = Convert.ToInt64(eventData.Payload[i], CultureInfo.InvariantCulture);
            }
        }

        type ??= "?";
        lock (s_types)
        {
            s_types.TryGetValue(type, out var row);
            s_types[type] = (row.Count + 1, row.Bytes + bytes);
        }
    }
}
