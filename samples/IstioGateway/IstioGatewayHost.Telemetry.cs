using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IstioGateway;

public sealed partial class IstioGatewayHost
{
    /// <summary>
    /// Istio's proxy exposes its metrics to Prometheus on the status port (<c>/stats/prometheus</c>); the host does the
    /// same for the gateway's Meter and ASP.NET Core's server metrics. When <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
    /// (environment or configuration), traces and metrics are also exported over OTLP; the exporter reads the other
    /// standard <c>OTEL_*</c> variables (protocol, headers, <c>OTEL_SERVICE_NAME</c>) itself.
    /// </summary>
    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: "istio-ingressgateway"))
            .WithMetrics(metrics =>
            {
                metrics.AddGatewayInstrumentation()
                    .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddGatewayInstrumentation().AddOtlpExporter());
        }
    }
}
