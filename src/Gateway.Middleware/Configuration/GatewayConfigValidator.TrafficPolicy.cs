using System.Globalization;

namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigValidator
{
    /// <summary>Envoy's bound on <c>minimum_ring_size</c> (8M entries).</summary>
    private const int MaxRingSize = 8_388_608;

    /// <summary>Checks an upstream's and its subsets' load balancer, connection pool and outlier detection values.</summary>
    private static void ValidateTrafficPolicies(UpstreamConfig upstream, string where, List<string> errors)
    {
        ValidateTrafficPolicy(upstream.TrafficPolicy, $"{where}: trafficPolicy", errors);
        for (var i = 0; i < upstream.Subsets.Count; i++)
        {
            ValidateTrafficPolicy(upstream.Subsets[i].TrafficPolicy, string.Create(CultureInfo.InvariantCulture, $"{where}: subsets[{i}].trafficPolicy"), errors);
        }
    }

    /// <summary>
    /// Messages name the policy's source and path with Istio's field names: <c>dr.yaml#1 DestinationRule
    /// default/reviews: spec.trafficPolicy.outlierDetection.maxEjectionPercent: ...</c>, or
    /// <c>Gateway:Upstreams:reviews: trafficPolicy.outlierDetection.maxEjectionPercent: ...</c>.
    /// </summary>
    private static void ValidateTrafficPolicy(TrafficPolicyConfig? policy, string fallback, List<string> errors)
    {
        if (policy is null)
        {
            return;
        }

        var prefix = policy.Source.Length == 0 ? $"{fallback}."
            : policy.SourcePath.Length == 0 ? $"{policy.Source}: "
            : $"{policy.Source}: {policy.SourcePath}.";
        ValidatePolicyFields(policy.LoadBalancer, policy.ConnectionPool, policy.OutlierDetection, prefix, errors);
        var ports = new HashSet<int>();
        for (var i = 0; i < policy.PortLevelSettings.Count; i++)
        {
            var settings = policy.PortLevelSettings[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"{prefix}portLevelSettings[{i}].");
            if (settings.Port is < 1 or > 65535)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}port.number: must be between 1 and 65535, got {settings.Port}"));
            }
            else if (!ports.Add(settings.Port))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}port.number: port {settings.Port} already has portLevelSettings"));
            }

            ValidatePolicyFields(settings.LoadBalancer, settings.ConnectionPool, settings.OutlierDetection, at, errors);
        }
    }

    private static void ValidatePolicyFields(LoadBalancerConfig? loadBalancer, ConnectionPoolConfig? pool, OutlierDetectionConfig? outlier, string at, List<string> errors)
    {
        if (loadBalancer?.ConsistentHash is { } hash)
        {
            ValidateConsistentHash(hash, $"{at}loadBalancer.consistentHash", errors);
        }

        if (pool is not null)
        {
            NotNegative(pool.MaxConnections, $"{at}connectionPool.tcp.maxConnections", errors);
            AtLeastOneMillisecond(pool.ConnectTimeout, $"{at}connectionPool.tcp.connectTimeout", errors);
            AtLeastOneMillisecond(pool.MaxConnectionDuration, $"{at}connectionPool.tcp.maxConnectionDuration", errors);
            AtLeastOneMillisecond(pool.IdleTimeout, $"{at}connectionPool.http.idleTimeout", errors);
            NotNegative(pool.Http1MaxPendingRequests, $"{at}connectionPool.http.http1MaxPendingRequests", errors);
            NotNegative(pool.Http2MaxRequests, $"{at}connectionPool.http.http2MaxRequests", errors);
            NotNegative(pool.MaxRequestsPerConnection, $"{at}connectionPool.http.maxRequestsPerConnection", errors);
            NotNegative(pool.MaxRetries, $"{at}connectionPool.http.maxRetries", errors);
        }

        if (outlier is not null)
        {
            NotNegative(outlier.Consecutive5xxErrors, $"{at}outlierDetection.consecutive5xxErrors", errors);
            NotNegative(outlier.ConsecutiveGatewayErrors, $"{at}outlierDetection.consecutiveGatewayErrors", errors);
            AtLeastOneMillisecond(outlier.Interval, $"{at}outlierDetection.interval", errors);
            AtLeastOneMillisecond(outlier.BaseEjectionTime, $"{at}outlierDetection.baseEjectionTime", errors);
            Percent(outlier.MaxEjectionPercent, $"{at}outlierDetection.maxEjectionPercent", errors);
            Percent(outlier.MinHealthPercent, $"{at}outlierDetection.minHealthPercent", errors);
        }
    }

    private static void ValidateConsistentHash(ConsistentHashConfig hash, string at, List<string> errors)
    {
        var keys = (hash.HttpHeaderName is null ? 0 : 1) + (hash.HttpCookie is null ? 0 : 1) + (hash.UseSourceIp ? 1 : 0) + (hash.HttpQueryParameterName is null ? 0 : 1);
        if (keys != 1)
        {
            errors.Add($"{at}: exactly one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName must be set, got {keys.ToString(CultureInfo.InvariantCulture)}");
        }

        if (hash.HttpHeaderName is { } header && string.IsNullOrWhiteSpace(header))
        {
            errors.Add($"{at}.httpHeaderName: must not be empty");
        }

        if (hash.HttpQueryParameterName is { } query && string.IsNullOrWhiteSpace(query))
        {
            errors.Add($"{at}.httpQueryParameterName: must not be empty");
        }

        if (hash.HttpCookie is { } cookie)
        {
            if (string.IsNullOrWhiteSpace(cookie.Name))
            {
                errors.Add($"{at}.httpCookie.name: must not be empty");
            }

            if (cookie.Ttl < TimeSpan.Zero)
            {
                errors.Add($"{at}.httpCookie.ttl: must not be negative, got {FormatDuration(cookie.Ttl.Value)}");
            }
        }

        if (hash.MinimumRingSize is < 1 or > MaxRingSize)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.ringHash.minimumRingSize: must be between 1 and {MaxRingSize}, got {hash.MinimumRingSize}"));
        }
    }

    private static void NotNegative(int? value, string field, List<string> errors)
    {
        if (value < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: must not be negative, got {value}"));
        }
    }

    private static void Percent(int value, string field, List<string> errors)
    {
        if (value is < 0 or > 100)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: must be between 0 and 100, got {value}"));
        }
    }

    /// <summary>Istio's <c>ValidateDuration</c>: at least 1ms, in whole milliseconds.</summary>
    private static void AtLeastOneMillisecond(TimeSpan? value, string field, List<string> errors)
    {
        if (value is not { } duration)
        {
            return;
        }

        if (duration < TimeSpan.FromMilliseconds(1))
        {
            errors.Add($"{field}: must be at least 1ms, got {FormatDuration(duration)}");
        }
        else if (duration.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            errors.Add($"{field}: only whole milliseconds are supported, got {FormatDuration(duration)}");
        }
    }

    /// <summary>A duration as Istio writes it: <c>30s</c>, <c>100ms</c>, <c>0.5ms</c>.</summary>
    private static string FormatDuration(TimeSpan value)
        => value.Ticks % TimeSpan.TicksPerSecond == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value.Ticks / TimeSpan.TicksPerSecond}s")
            : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds}ms");
}
