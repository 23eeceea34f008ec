namespace Gateway.Middleware.Testing;

/// <summary>
/// Thrown by the kit's assertions (<see cref="FakeUpstream"/>, <c>RoutingDecision</c>) when what was
/// expected did not happen. A plain exception, so xUnit, NUnit and MSTest all report it as a failure with its message.
/// </summary>
public sealed class GatewayAssertionException : Exception
{
    /// <summary>Creates the exception with a message describing what was expected and what happened.</summary>
    /// <param name="message">The failure message.</param>
    public GatewayAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public GatewayAssertionException()
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">The failure message.</param>
    /// <param name="innerException">The cause.</param>
    public GatewayAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
