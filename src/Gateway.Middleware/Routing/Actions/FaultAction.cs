using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>
/// A compiled fault injection (Istio <c>HTTPFaultInjection</c>, Envoy's fault filter): a fixed delay and/or an
/// abort, each drawn independently per request for its percentage. The delay comes first, then the abort.
/// </summary>
internal sealed class FaultAction
{
    /// <summary>The body of an abort, as Envoy's fault filter writes it.</summary>
    public const string AbortText = "fault filter abort";

    private readonly double _delayPercentage;
    private readonly double _abortPercentage;

    public FaultAction(FaultConfig config)
    {
        Config = config;
        Delay = config.Delay is { } delay && delay > TimeSpan.Zero ? delay : null;
        AbortStatus = config.AbortStatus;
        _delayPercentage = config.DelayPercentage;
        _abortPercentage = config.AbortPercentage;
    }

    public FaultConfig Config { get; }

    /// <summary>The delay before forwarding; null when none (or zero).</summary>
    public TimeSpan? Delay { get; }

    /// <summary>The status of an abort; null when the fault does not abort.</summary>
    public int? AbortStatus { get; }

    /// <summary>Draws whether this request is delayed.</summary>
    public bool ShouldDelay() => Delay is not null && Draw(_delayPercentage);

    /// <summary>Draws whether this request is aborted.</summary>
    public bool ShouldAbort() => AbortStatus is not null && Draw(_abortPercentage);

    // 0 never and 100 always, without touching the random source; in between, per request at random.
    private static bool Draw(double percentage)
        => percentage >= 100 || (percentage > 0 && Random.Shared.NextDouble() * 100 < percentage);
}
