using Gateway.Middleware.Diagnostics;

namespace OpenTelemetry.Metrics;

/// <summary>Subscribes an OpenTelemetry <see cref="MeterProviderBuilder"/> to the gateway's metrics.</summary>
public static class GatewayMeterProviderBuilderExtensions
{
    /// <summary>
    /// Collects the gateway's meter (<see cref="GatewayDiagnostics.MeterName"/>, <c>Gateway.Middleware</c>): request count
    /// and duration by route, destination, status and response flags, upstream gauges, JWT outcomes, authorization
    /// denials, outlier ejections, circuit-breaker overflows and config reloads (docs/observability.md, "Metrics").
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder.</returns>
    public static MeterProviderBuilder AddGatewayInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(GatewayDiagnostics.MeterName);
    }
}
