using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>Declares fault injection (Istio <c>HTTPFaultInjection</c>).</summary>
public sealed class GatewayFaultBuilder
{
    private FaultConfig _config = new();

    internal GatewayFaultBuilder()
    {
    }

    /// <summary>Delays <paramref name="percentage"/> % of requests by <paramref name="delay"/> before forwarding.</summary>
    public GatewayFaultBuilder Delay(TimeSpan delay, double percentage = 100)
    {
        _config = _config with { Delay = delay, DelayPercentage = percentage };
        return this;
    }

    /// <summary>Answers <paramref name="percentage"/> % of requests with <paramref name="status"/> (body <c>fault filter abort</c>) instead of forwarding.</summary>
    public GatewayFaultBuilder Abort(int status, double percentage = 100)
    {
        _config = _config with { AbortStatus = status, AbortPercentage = percentage };
        return this;
    }

    internal FaultConfig Build() => _config;
}
