using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>Declares one destination of a rule (Istio <c>HTTPRouteDestination</c>).</summary>
public sealed class GatewayDestinationBuilder
{
    private readonly string _upstream;
    private int _weight = 100;
    private string? _subset;
    private int? _port;
    private GatewayHeaderOperationsBuilder? _requestHeaders;
    private GatewayHeaderOperationsBuilder? _responseHeaders;

    internal GatewayDestinationBuilder(string upstream)
    {
        _upstream = upstream;
    }

    /// <summary>The share of the rule's traffic. Default 100.</summary>
    public GatewayDestinationBuilder Weight(int weight)
    {
        _weight = weight;
        return this;
    }

    /// <summary>A subset declared on the upstream (DestinationRule <c>subsets</c>).</summary>
    public GatewayDestinationBuilder Subset(string subset)
    {
        ArgumentNullException.ThrowIfNull(subset);
        _subset = subset;
        return this;
    }

    /// <summary>The service port, when the upstream serves several.</summary>
    public GatewayDestinationBuilder Port(int port)
    {
        _port = port;
        return this;
    }

    /// <summary>Header operations on requests sent to this destination only.</summary>
    public GatewayDestinationBuilder RequestHeaders(Action<GatewayHeaderOperationsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_requestHeaders ??= new GatewayHeaderOperationsBuilder());
        return this;
    }

    /// <summary>Header operations on responses from this destination only.</summary>
    public GatewayDestinationBuilder ResponseHeaders(Action<GatewayHeaderOperationsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_responseHeaders ??= new GatewayHeaderOperationsBuilder());
        return this;
    }

    internal DestinationConfig Build() => new(_upstream, _weight)
    {
        Subset = _subset,
        Port = _port,
        RequestHeaders = _requestHeaders?.Build(),
        ResponseHeaders = _responseHeaders?.Build(),
    };
}
