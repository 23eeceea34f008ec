using System.Diagnostics.Metrics;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// The gateway's instruments, on one <see cref="Meter"/> named <see cref="GatewayDiagnostics.MeterName"/> created through
/// <see cref="IMeterFactory"/> (as ASP.NET Core does), so each service provider, and so each test host, has its own.
/// Every recording checks <see cref="Instrument.Enabled"/> first: with no listener a call costs one field read.
/// The instruments carry the information of Istio's standard metrics (docs/observability.md, "Metrics").
/// </summary>
internal sealed partial class GatewayMetrics
{
    public const string RequestsName = "gateway.requests";
    public const string RequestDurationName = "gateway.request.duration";
    public const string ActiveRequestsName = "gateway.upstream.active_requests";
    public const string PendingRequestsName = "gateway.upstream.pending_requests";
    public const string OpenConnectionsName = "gateway.upstream.open_connections";
    public const string JwtOutcomesName = "gateway.jwt.outcomes";
    public const string AuthorizationDenialsName = "gateway.authorization.denials";
    public const string OutlierEjectionsName = "gateway.outlier.ejections";
    public const string CircuitBreakerOverflowsName = "gateway.circuit_breaker.overflows";
    public const string ConfigReloadsName = "gateway.config.reloads";

    // ASP.NET Core's http.server.request.duration boundaries (OpenTelemetry semantic conventions for HTTP), in seconds.
    private static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _jwtOutcomes;
    private readonly Counter<long> _denials;
    private readonly Counter<long> _ejections;
    private readonly Counter<long> _overflows;
    private readonly Counter<long> _reloads;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(GatewayDiagnostics.MeterName);
        _requests = _meter.CreateCounter<long>(RequestsName, "{request}", "Requests the gateway answered (Istio istio_requests_total).");
        _duration = _meter.CreateHistogram(
            RequestDurationName,
            "s",
            "Time from the request reaching the gateway to its response being complete (Istio istio_request_duration_milliseconds).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _jwtOutcomes = _meter.CreateCounter<long>(JwtOutcomesName, "{request}", "Requests seen by RequestAuthentication, by outcome (ok, missing, invalid) and reason.");
        _denials = _meter.CreateCounter<long>(AuthorizationDenialsName, "{request}", "Requests denied by AuthorizationPolicy (403 RBAC: access denied).");
        _ejections = _meter.CreateCounter<long>(OutlierEjectionsName, "{ejection}", "Endpoints ejected by outlier detection (Envoy outlier_detection.ejections_enforced_total).");
        _overflows = _meter.CreateCounter<long>(CircuitBreakerOverflowsName, "{request}", "Requests refused 503 by a circuit breaker (Envoy upstream_rq_pending_overflow, response flag UO).");
        _reloads = _meter.CreateCounter<long>(ConfigReloadsName, "{reload}", "Configuration reloads, by result (ok, rejected).");
    }

    /// <summary>Whether anyone listens to the request count or duration.</summary>
    public bool RequestsEnabled => _requests.Enabled || _duration.Enabled;

    /// <summary>Whether the request stage has anything to record (it also counts overflows); it skips all work when not.</summary>
    public bool RequestStageEnabled => _requests.Enabled || _duration.Enabled || _overflows.Enabled;

    /// <summary>An endpoint of <paramref name="cluster"/> was ejected.</summary>
    public void OutlierEjected(string cluster)
    {
        if (_ejections.Enabled)
        {
            _ejections.Add(1, new KeyValuePair<string, object?>(MetricTags.Cluster, cluster));
        }
    }

    /// <summary>A request to <paramref name="cluster"/> was refused by its circuit breaker.</summary>
    public void CircuitBreakerOverflowed(string cluster)
    {
        if (_overflows.Enabled)
        {
            _overflows.Add(1, new KeyValuePair<string, object?>(MetricTags.Cluster, cluster));
        }
    }

    /// <summary>A configuration reload (from a source, or <c>Update</c>) succeeded or was rejected.</summary>
    public void ConfigReloaded(bool ok)
    {
        if (_reloads.Enabled)
        {
            _reloads.Add(1, new KeyValuePair<string, object?>(MetricTags.ConfigResult, ok ? "ok" : "rejected"));
        }
    }
}
