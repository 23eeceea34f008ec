using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// DestinationRule <c>trafficPolicy</c> (top level, subset, <c>portLevelSettings</c>) → <see cref="TrafficPolicyConfig"/>.
/// Values keep Istio's meaning: a zero integer is "not set" (proto3), an absent field takes Istio's default.
/// Fields a single-locality gateway cannot honour are warnings, fields it refuses are errors. Value ranges
/// are checked by <see cref="GatewayConfigValidator"/> for every source alike.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    /// <summary>A policy at <paramref name="path"/>; <paramref name="topLevel"/> for the rule's <c>spec.trafficPolicy</c> (where <c>h2UpgradePolicy</c> applies).</summary>
    private TrafficPolicyConfig? ReadTrafficPolicy(YamlResource rule, YamlMappingNode? node, string path, bool topLevel)
    {
        if (node is null)
        {
            return null;
        }

        if (node.Children.Count == 0)
        {
            // Istio's validation: "traffic policy must have at least one field".
            _diagnostics.Error(rule, path, "must set at least one field");
            return null;
        }

        WarnNotApplied(rule, node, path, "tunnel", "the gateway does not tunnel upstream connections");
        WarnNotApplied(rule, node, path, "proxyProtocol", "the gateway does not send PROXY protocol headers upstream");
        WarnNotApplied(rule, node, path, "retryBudget", "retries are bounded per route (VirtualService retries) and by connectionPool.http.maxRetries");

        var ports = new List<PortTrafficPolicyConfig>();
        foreach (var (i, item) in Maps(node, "portLevelSettings"))
        {
            var itemPath = Index($"{path}.portLevelSettings", i);
            if (Long(Map(item, "port"), "number") is not { } number)
            {
                if (!Has(Map(item, "port"), "number"))
                {
                    _diagnostics.Error(rule, $"{itemPath}.port.number", "required");
                }

                continue;
            }

            if (!Has(item, "loadBalancer") && !Has(item, "connectionPool") && !Has(item, "outlierDetection") && !Has(item, "tls"))
            {
                // Istio's validation: "port traffic policy must have at least one field".
                _diagnostics.Error(rule, itemPath, "must set at least one of loadBalancer, connectionPool, outlierDetection or tls");
                continue;
            }

            ports.Add(new PortTrafficPolicyConfig
            {
                Port = (int)Math.Clamp(number, int.MinValue, int.MaxValue),
                LoadBalancer = ReadLoadBalancer(rule, Map(item, "loadBalancer"), $"{itemPath}.loadBalancer"),
                ConnectionPool = ReadConnectionPool(rule, Map(item, "connectionPool"), $"{itemPath}.connectionPool", topLevel: false),
                OutlierDetection = ReadOutlierDetection(rule, Map(item, "outlierDetection"), $"{itemPath}.outlierDetection"),
                Tls = ReadClientTls(rule, Map(item, "tls"), $"{itemPath}.tls"),
            });
        }

        return new TrafficPolicyConfig
        {
            LoadBalancer = ReadLoadBalancer(rule, Map(node, "loadBalancer"), $"{path}.loadBalancer"),
            ConnectionPool = ReadConnectionPool(rule, Map(node, "connectionPool"), $"{path}.connectionPool", topLevel),
            OutlierDetection = ReadOutlierDetection(rule, Map(node, "outlierDetection"), $"{path}.outlierDetection"),
            Tls = ReadClientTls(rule, Map(node, "tls"), $"{path}.tls"),
            PortLevelSettings = ports,
            Source = rule.Source,
            SourcePath = path,
        };
    }

    /// <summary>Whether the top-level policy asks for HTTP/2 to the upstream (<c>h2UpgradePolicy: UPGRADE</c>).</summary>
    private static bool UpgradesToHttp2(YamlMappingNode? policy)
        => String(Map(Map(policy, "connectionPool"), "http"), "h2UpgradePolicy") == "UPGRADE";

    private void WarnNotApplied(YamlResource rule, YamlMappingNode node, string path, string field, string reason)
    {
        if (Has(node, field))
        {
            _diagnostics.Warning(rule, $"{path}.{field}", $"not applied: {reason}");
        }
    }

    /// <summary>An Istio duration already checked by the schema; <see langword="null"/> when absent.</summary>
    private static TimeSpan? Duration(YamlMappingNode? map, string key)
        => String(map, key) is { } text && YamlDuration.TryParseIstio(text, out var value, out _) ? value : null;

    /// <summary>
    /// A proto3 integer limit: 0 means "not set" (<see langword="null"/>); a value past <see cref="int.MaxValue"/>
    /// is clamped so the validator reports it; a negative one is kept for the validator to report.
    /// </summary>
    private static int? Count(YamlMappingNode? map, string key)
        => Long(map, key) is { } value && value != 0 ? (int)Math.Clamp(value, int.MinValue, int.MaxValue) : null;
}
