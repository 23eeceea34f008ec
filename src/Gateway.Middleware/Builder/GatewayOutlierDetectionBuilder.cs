using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares outlier detection (Istio <c>outlierDetection</c>): endpoints that keep failing are ejected from load
/// balancing for a while, then readmitted. Defaults are Istio's.
/// </summary>
public sealed class GatewayOutlierDetectionBuilder
{
    private OutlierDetectionConfig _config = new();

    internal GatewayOutlierDetectionBuilder()
    {
    }

    /// <summary>
    /// 5xx answers in a row (connect failures and resets count as 503, timeouts as 504) that eject an endpoint
    /// (Istio <c>consecutive5xxErrors</c>); 0 disables. Default 5.
    /// </summary>
    public GatewayOutlierDetectionBuilder Consecutive5xxErrors(int errors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(errors);
        _config = _config with { Consecutive5xxErrors = errors };
        return this;
    }

    /// <summary>502, 503 or 504 answers (or connect failures) in a row that eject an endpoint (Istio <c>consecutiveGatewayErrors</c>); 0 disables. Default 0.</summary>
    public GatewayOutlierDetectionBuilder ConsecutiveGatewayErrors(int errors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(errors);
        _config = _config with { ConsecutiveGatewayErrors = errors };
        return this;
    }

    /// <summary>Istio <c>interval</c>: each interval an endpoint stays healthy takes one off its ejection count. Default 10 s.</summary>
    public GatewayOutlierDetectionBuilder Interval(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromMilliseconds(1));
        _config = _config with { Interval = interval };
        return this;
    }

    /// <summary>Ejection time, multiplied by the times the endpoint has been ejected (Istio <c>baseEjectionTime</c>). Default 30 s.</summary>
    public GatewayOutlierDetectionBuilder BaseEjectionTime(TimeSpan time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(time, TimeSpan.FromMilliseconds(1));
        _config = _config with { BaseEjectionTime = time };
        return this;
    }

    /// <summary>Most endpoints that may be ejected at once, in percent; one endpoint may always be (Istio <c>maxEjectionPercent</c>). Default 10.</summary>
    public GatewayOutlierDetectionBuilder MaxEjectionPercent(int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        _config = _config with { MaxEjectionPercent = percent };
        return this;
    }

    /// <summary>
    /// Below this percentage of healthy endpoints, ejections are ignored and every endpoint takes traffic (Istio
    /// <c>minHealthPercent</c>, Envoy's panic threshold). Default 0: with every endpoint ejected the answer is 503
    /// <c>no healthy upstream</c>.
    /// </summary>
    public GatewayOutlierDetectionBuilder MinHealthPercent(int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        _config = _config with { MinHealthPercent = percent };
        return this;
    }

    internal OutlierDetectionConfig Build() => _config;
}
