using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>A compiled fault injection (Istio <c>HTTPFaultInjection</c>).</summary>
internal sealed class FaultAction
{
    public FaultAction(FaultConfig config)
    {
        Config = config;
    }

    public FaultConfig Config { get; }
}
