using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>DestinationRule <c>connectionPool</c> and <c>outlierDetection</c> → their configs, with Istio's defaults.</summary>
internal sealed partial class YamlModelBuilder
{
    private ConnectionPoolConfig? ReadConnectionPool(YamlResource rule, YamlMappingNode? node, string path, bool topLevel)
    {
        if (node is null)
        {
            return null;
        }

        var tcp = Map(node, "tcp");
        var http = Map(node, "http");
        if (tcp is null && http is null)
        {
            // Istio's validation: "connection pool must have at least one field".
            _diagnostics.Error(rule, path, "must set tcp or http");
            return null;
        }

        if (tcp is not null)
        {
            WarnNotApplied(rule, tcp, $"{path}.tcp", "tcpKeepalive", "the gateway does not set TCP keepalive on upstream connections");
        }

        if (http is not null)
        {
            WarnNotApplied(rule, http, $"{path}.http", "useClientProtocol", "the gateway speaks the upstream's protocol (its ServiceEntry port protocol, or h2UpgradePolicy)");
            WarnNotApplied(rule, http, $"{path}.http", "maxConcurrentStreams", "streams per HTTP/2 connection are bounded by the upstream's SETTINGS_MAX_CONCURRENT_STREAMS");
            if (String(http, "h2UpgradePolicy") == "UPGRADE")
            {
                if (Bool(http, "useClientProtocol") == true)
                {
                    // Istio's validation rule.
                    _diagnostics.Error(rule, $"{path}.http.useClientProtocol", "must not be true when h2UpgradePolicy is UPGRADE");
                }
                else if (!topLevel)
                {
                    _diagnostics.Warning(rule, $"{path}.http.h2UpgradePolicy", "not applied: the gateway picks HTTP/2 per upstream; set UPGRADE in the top-level spec.trafficPolicy.connectionPool");
                }
            }
        }

        if (Has(tcp, "idleTimeout") && Has(http, "idleTimeout"))
        {
            _diagnostics.Warning(rule, $"{path}.tcp.idleTimeout", "ignored: http.idleTimeout is set (the gateway has one idle timeout per upstream connection)");
        }

        return new ConnectionPoolConfig
        {
            MaxConnections = Count(tcp, "maxConnections"),
            ConnectTimeout = Duration(tcp, "connectTimeout"),
            MaxConnectionDuration = Duration(tcp, "maxConnectionDuration"),
            IdleTimeout = Duration(http, "idleTimeout") ?? Duration(tcp, "idleTimeout"),
            Http1MaxPendingRequests = Count(http, "http1MaxPendingRequests"),
            Http2MaxRequests = Count(http, "http2MaxRequests"),
            MaxRequestsPerConnection = Count(http, "maxRequestsPerConnection"),
            MaxRetries = Count(http, "maxRetries"),
        };
    }

    private OutlierDetectionConfig? ReadOutlierDetection(YamlResource rule, YamlMappingNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        WarnNotApplied(rule, node, path, "splitExternalLocalOriginErrors", "connect failures count as 5xx and gateway errors (Envoy's behaviour without the split)");
        WarnNotApplied(rule, node, path, "consecutiveLocalOriginFailures", "connect failures count as 5xx and gateway errors (Envoy's behaviour without the split)");

        var defaults = new OutlierDetectionConfig();
        var consecutive5xx = Clamp(Long(node, "consecutive5xxErrors"));
        var consecutiveGateway = Clamp(Long(node, "consecutiveGatewayErrors"));
        if (Clamp(Long(node, "consecutiveErrors")) is { } deprecated)
        {
            if (deprecated < 0)
            {
                _diagnostics.Error(rule, $"{path}.consecutiveErrors", $"must not be negative, got {deprecated}");
            }
            else if (deprecated > 0)
            {
                // Istio (cluster_traffic_policy.go) reads the deprecated field as gateway errors only: it sets
                // consecutive_gateway_failure and turns the consecutive 5xx check off; the newer fields win.
                _diagnostics.Warning(rule, $"{path}.consecutiveErrors", "deprecated: served as consecutiveGatewayErrors (502, 503, 504) with consecutive5xxErrors off unless set, as Istio does; use consecutiveGatewayErrors");
                consecutiveGateway ??= deprecated;
                consecutive5xx ??= 0;
            }
        }

        var maxEjection = Clamp(Long(node, "maxEjectionPercent"));
        return new OutlierDetectionConfig
        {
            Consecutive5xxErrors = consecutive5xx ?? defaults.Consecutive5xxErrors,
            ConsecutiveGatewayErrors = consecutiveGateway ?? defaults.ConsecutiveGatewayErrors,
            Interval = Duration(node, "interval") ?? defaults.Interval,
            BaseEjectionTime = Duration(node, "baseEjectionTime") ?? defaults.BaseEjectionTime,

            // proto3 int32: 0 is "not set", so Envoy's default (10%) applies.
            MaxEjectionPercent = maxEjection is null or 0 ? defaults.MaxEjectionPercent : maxEjection.Value,
            MinHealthPercent = Clamp(Long(node, "minHealthPercent")) ?? defaults.MinHealthPercent,
        };
    }

    private static int? Clamp(long? value) => value is { } v ? (int)Math.Clamp(v, int.MinValue, int.MaxValue) : null;
}
