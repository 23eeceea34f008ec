using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Returned by <c>AddGateway()</c>; every gateway feature is an extension method on it that returns it,
/// so configuration reads as one chain.
/// </summary>
public interface IGatewayBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
