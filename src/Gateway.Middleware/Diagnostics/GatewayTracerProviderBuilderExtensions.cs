using Gateway.Middleware.Diagnostics;

namespace OpenTelemetry.Trace;

/// <summary>Registers the gateway's spans with an OpenTelemetry <see cref="TracerProviderBuilder"/>.</summary>
public static class GatewayTracerProviderBuilderExtensions
{
    /// <summary>
    /// Records the gateway's spans: the <c>Gateway.Middleware</c> ActivitySource (<see cref="GatewayDiagnostics.ActivitySourceName"/>),
    /// which carries a server span per request (unless ASP.NET Core's is recorded, which is then enriched instead) and a
    /// client span per upstream try and per mirrored copy. Upstream requests carry the client span's W3C <c>traceparent</c>.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder.</returns>
    public static TracerProviderBuilder AddGatewayInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(GatewayDiagnostics.ActivitySourceName);
    }
}
