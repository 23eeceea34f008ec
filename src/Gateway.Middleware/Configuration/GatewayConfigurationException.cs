namespace Gateway.Middleware.Configuration;

/// <summary>
/// Thrown when a gateway configuration is invalid. <see cref="Errors"/> lists every problem found, each
/// naming the resource and field; the message joins them.
/// </summary>
public sealed class GatewayConfigurationException : Exception
{
    /// <summary>Creates the exception from the list of errors.</summary>
    public GatewayConfigurationException(IReadOnlyList<string> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a single message.</summary>
    public GatewayConfigurationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception with a single message and its cause.</summary>
    public GatewayConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception with no details.</summary>
    public GatewayConfigurationException()
        : this("The gateway configuration is invalid.")
    {
    }

    /// <summary>Every error found, one per entry.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(IReadOnlyList<string> errors)
        => $"The gateway configuration is invalid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", errors);
}
