using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Upstreams.OutlierDetection;

/// <summary>
/// Istio <c>outlierDetection</c> for one cluster, as Envoy's consecutive-error detectors run it: an endpoint
/// that returns <c>consecutive5xxErrors</c> 5xx in a row (or <c>consecutiveGatewayErrors</c> 502/503/504) is
/// ejected at once for <c>baseEjectionTime</c> × the times it has been ejected (at most 300 s or the base time,
/// Envoy's <c>max_ejection_time</c>). Connect failures and resets count as 503 and timeouts as 504
/// (Envoy with <c>split_external_local_origin_errors: false</c>, Istio's setting). Any other answer resets the
/// counters. The first ejection always happens; further ones only while at most <c>maxEjectionPercent</c> of the
/// endpoints are ejected. Ejected endpoints are readmitted once their time is up, checked on the next pick with
/// the injected <see cref="TimeProvider"/>; each <c>interval</c> an endpoint stays healthy takes one off its
/// ejection count.
/// </summary>
internal sealed class OutlierDetector
{
    private static readonly TimeSpan MaxEjectionTime = TimeSpan.FromSeconds(300);

    private readonly OutlierDetectionConfig _config;
    private readonly EndpointSet _endpoints;
    private readonly UpstreamEndpoint[] _addresses;
    private readonly string _cluster;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Diagnostics.GatewayMetrics? _metrics;
    private readonly Lock _lock = new();
    private long _nextReadmission = long.MaxValue;

    public OutlierDetector(OutlierDetectionConfig config, EndpointSet endpoints, UpstreamEndpoint[] addresses, string cluster, TimeProvider timeProvider, ILogger logger, Diagnostics.GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        _config = config;
        _endpoints = endpoints;
        _addresses = addresses;
        _cluster = cluster;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Whether this configuration ejects anything at all.</summary>
    public static bool IsEnabled(OutlierDetectionConfig? config)
        => config is { } c && (c.Consecutive5xxErrors > 0 || c.ConsecutiveGatewayErrors > 0);

    /// <summary>Records the status an endpoint answered (or the one a local failure maps to).</summary>
    public void ReportStatus(int index, int status)
    {
        var state = _endpoints[index];
        if (status is < 500 or > 599)
        {
            // Envoy's putHttpResponseCode: anything but a 5xx ends both streaks.
            if (Volatile.Read(ref state.Consecutive5xx) != 0)
            {
                Volatile.Write(ref state.Consecutive5xx, 0);
            }

            if (Volatile.Read(ref state.ConsecutiveGatewayErrors) != 0)
            {
                Volatile.Write(ref state.ConsecutiveGatewayErrors, 0);
            }

            return;
        }

        var gatewayThreshold = _config.ConsecutiveGatewayErrors;
        if (status is 502 or 503 or 504)
        {
            if (gatewayThreshold > 0 && Interlocked.Increment(ref state.ConsecutiveGatewayErrors) == gatewayThreshold)
            {
                Eject(index, gatewayThreshold, gatewayErrors: true);
            }
        }
        else if (Volatile.Read(ref state.ConsecutiveGatewayErrors) != 0)
        {
            Volatile.Write(ref state.ConsecutiveGatewayErrors, 0);
        }

        var threshold = _config.Consecutive5xxErrors;
        if (threshold > 0 && Interlocked.Increment(ref state.Consecutive5xx) == threshold)
        {
            Eject(index, threshold, gatewayErrors: false);
        }
    }

    /// <summary>Readmits the endpoints whose ejection time is up; cheap when there is none.</summary>
    public void ReadmitDue()
    {
        if (_endpoints.EjectedCount == 0)
        {
            return;
        }

        var now = _timeProvider.GetTimestamp();
        if (now < Volatile.Read(ref _nextReadmission))
        {
            return;
        }

        lock (_lock)
        {
            var next = long.MaxValue;
            for (var i = 0; i < _endpoints.Count; i++)
            {
                var state = _endpoints[i];
                if (!state.Ejected)
                {
                    continue;
                }

                if (now < state.ReadmitAt)
                {
                    next = Math.Min(next, state.ReadmitAt);
                    continue;
                }

                // Envoy resets both streaks so a few new errors do not eject the endpoint again at once.
                Volatile.Write(ref state.Consecutive5xx, 0);
                Volatile.Write(ref state.ConsecutiveGatewayErrors, 0);
                state.ReadmittedAt = now;
                state.Ejected = false;
                _endpoints.OnReadmitted();
                TrafficPolicyLog.EndpointReadmitted(_logger, _addresses[i].Prefix, _cluster);
            }

            Volatile.Write(ref _nextReadmission, next);
        }
    }

    private void Eject(int index, int errors, bool gatewayErrors)
    {
        var state = _endpoints[index];
        var kind = gatewayErrors ? "gateway errors" : "5xx errors";
        lock (_lock)
        {
            // Envoy resets the streak that fired whether or not the ejection happens.
            if (gatewayErrors)
            {
                Volatile.Write(ref state.ConsecutiveGatewayErrors, 0);
            }
            else
            {
                Volatile.Write(ref state.Consecutive5xx, 0);
            }

            if (state.Ejected)
            {
                return;
            }

            var ejected = _endpoints.EjectedCount;
            if (ejected > 0 && (ejected + 1) * 100 > _config.MaxEjectionPercent * _endpoints.Count)
            {
                TrafficPolicyLog.EjectionOverMaxPercent(_logger, _addresses[index].Prefix, _cluster, errors, kind, ejected, _endpoints.Count, _config.MaxEjectionPercent);
                return;
            }

            var now = _timeProvider.GetTimestamp();
            var ejections = DecayedEjectionCount(state, now) + 1;
            var baseTime = _config.BaseEjectionTime;
            var max = baseTime > MaxEjectionTime ? baseTime : MaxEjectionTime;
            var time = baseTime * ejections;
            if (time >= max)
            {
                // The count stops growing once the cap is reached (Envoy's ejection backoff).
                time = max;
                ejections = Math.Max(1, (int)Math.Ceiling(max / baseTime));
            }

            state.EjectionCount = ejections;
            state.ReadmitAt = now + ToTimestampTicks(time);
            state.Ejected = true;
            _endpoints.OnEjected();
            Volatile.Write(ref _nextReadmission, Math.Min(Volatile.Read(ref _nextReadmission), state.ReadmitAt));
            TrafficPolicyLog.EndpointEjected(_logger, _addresses[index].Prefix, _cluster, time, errors, kind, ejections);
            _metrics?.OutlierEjected(_cluster);
        }
    }

    /// <summary>The ejection count, less one for every whole interval the endpoint has been healthy since its readmission.</summary>
    private int DecayedEjectionCount(EndpointState state, long now)
    {
        if (state.EjectionCount == 0 || _config.Interval <= TimeSpan.Zero)
        {
            return state.EjectionCount;
        }

        var healthy = now - state.ReadmittedAt;
        var intervals = healthy / ToTimestampTicks(_config.Interval);
        return (int)Math.Max(0, state.EjectionCount - intervals);
    }

    private long ToTimestampTicks(TimeSpan time)
        => (long)(time.Ticks * ((double)_timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond));
}
