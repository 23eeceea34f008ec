using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Gateway.Middleware.Benchmarks.Diagnostics;

/// <summary>An exporter that drops what it is given: the SDK aggregates only for a meter provider with a reader.</summary>
internal sealed class NullMetricExporter : BaseExporter<Metric>
{
    public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
}
