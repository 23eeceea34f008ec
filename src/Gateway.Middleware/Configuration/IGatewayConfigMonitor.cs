namespace Gateway.Middleware.Configuration;

/// <summary>
/// What the gateway is running: the configuration generation and the errors of the last rejected reload.
/// Resolve it from DI to build readiness checks or to wait for a reload in tests.
/// </summary>
public interface IGatewayConfigMonitor
{
    /// <summary>Increases by one each time a new configuration is swapped in; 1 after start.</summary>
    long Generation { get; }

    /// <summary>The errors of the last reload that was refused; empty after a successful one.</summary>
    IReadOnlyList<string> LastRejectedErrors { get; }

    /// <summary>Raised after each reload attempt, applied or refused.</summary>
    event EventHandler<GatewayConfigReloadedEventArgs>? Reloaded;
}
