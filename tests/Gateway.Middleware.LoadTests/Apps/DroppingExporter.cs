using OpenTelemetry;

namespace Gateway.Middleware.LoadTests.Apps;

/// <summary>An exporter that accepts every batch and keeps nothing: the SDK's work is measured, not an exporter's.</summary>
/// <typeparam name="T">Activity or Metric.</typeparam>
internal sealed class DroppingExporter<T> : BaseExporter<T>
    where T : class
{
    public override ExportResult Export(in Batch<T> batch) => ExportResult.Success;
}
