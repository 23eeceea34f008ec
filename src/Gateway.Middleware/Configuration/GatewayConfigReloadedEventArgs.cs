namespace Gateway.Middleware.Configuration;

/// <summary>The outcome of one reload.</summary>
public sealed class GatewayConfigReloadedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public GatewayConfigReloadedEventArgs(bool applied, IReadOnlyList<string> errors)
    {
        Applied = applied;
        Errors = errors;
    }

    /// <summary>Whether the new configuration is now serving; false when it was refused.</summary>
    public bool Applied { get; }

    /// <summary>Why it was refused; empty when applied.</summary>
    public IReadOnlyList<string> Errors { get; }
}
