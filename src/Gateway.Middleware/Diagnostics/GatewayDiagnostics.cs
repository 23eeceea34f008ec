namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// Names of the gateway's telemetry sources: one <see cref="System.Diagnostics.ActivitySource"/> and one
/// <see cref="System.Diagnostics.Metrics.Meter"/>, both named <see cref="Name"/>.
/// </summary>
public static class GatewayDiagnostics
{
    /// <summary><c>Gateway.Middleware</c>: the name of the gateway's ActivitySource and Meter.</summary>
    public const string Name = "Gateway.Middleware";

    /// <summary>The gateway's ActivitySource name (<see cref="Name"/>).</summary>
    public const string ActivitySourceName = Name;

    /// <summary>The gateway's Meter name (<see cref="Name"/>).</summary>
    public const string MeterName = Name;
}
