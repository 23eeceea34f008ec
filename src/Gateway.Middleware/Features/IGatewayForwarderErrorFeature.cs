using Gateway.Middleware.Forwarding;

namespace Gateway.Middleware.Features;

/// <summary>
/// Set on <c>HttpContext.Features</c> when forwarding fails, so logging, metrics or your own middleware can
/// observe why.
/// </summary>
public interface IGatewayForwarderErrorFeature
{
    /// <summary>What went wrong.</summary>
    GatewayForwarderError Error { get; }

    /// <summary>The exception behind the error, if any.</summary>
    Exception? Exception { get; }
}
