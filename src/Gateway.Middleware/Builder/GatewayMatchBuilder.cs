using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>Declares one match (an Istio <c>HTTPMatchRequest</c>); every condition set must hold.</summary>
public sealed class GatewayMatchBuilder
{
    private string? _pathPrefix;

    internal GatewayMatchBuilder()
    {
    }

    /// <summary>Matches paths starting with <paramref name="prefix"/>, a plain string prefix as in Istio's <c>uri.prefix</c>.</summary>
    public GatewayMatchBuilder PathPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        _pathPrefix = prefix;
        return this;
    }

    internal RouteMatchConfig Build() => new() { PathPrefix = _pathPrefix };
}
