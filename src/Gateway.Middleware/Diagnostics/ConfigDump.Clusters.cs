using System.Text.Json.Nodes;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Diagnostics;

internal static partial class ConfigDump
{
    /// <summary>Every cluster a route or mirror sends to, by name (<c>outbound|port|subset|host</c>).</summary>
    private static JsonArray Clusters(GatewayConfig? config, Dictionary<string, UpstreamCluster> clusters)
    {
        var services = new Dictionary<string, UpstreamConfig>(StringComparer.OrdinalIgnoreCase);
        if (config is not null)
        {
            foreach (var upstream in config.Upstreams)
            {
                services.TryAdd(upstream.Name, upstream);
            }
        }

        var array = new JsonArray();
        foreach (var cluster in clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var service = services.GetValueOrDefault(cluster.ServiceName);
            array.Add(ClusterNode(cluster, service));
        }

        return array;
    }

    private static JsonObject ClusterNode(UpstreamCluster cluster, UpstreamConfig? service)
    {
        var endpoints = new JsonArray();
        var states = cluster.EndpointStates;
        for (var i = 0; i < cluster.Endpoints.Length; i++)
        {
            endpoints.Add(new JsonObject
            {
                ["address"] = cluster.Endpoints[i].Prefix,
                ["ejected"] = states[i].Ejected,
                ["activeRequests"] = Volatile.Read(ref states[i].ActiveRequests),
            });
        }

        var policy = cluster.Policy;
        return new JsonObject
        {
            ["name"] = cluster.Name,
            ["host"] = cluster.ServiceName,
            ["subset"] = cluster.Subset,
            ["port"] = cluster.Port,
            ["protocol"] = cluster.Protocol.ToString(),
            ["localReplyStatus"] = cluster.LocalReplyStatus,
            ["endpoints"] = endpoints,
            ["loadBalancer"] = ToNode(policy.LoadBalancer),
            ["connectionPool"] = ToNode(policy.ConnectionPool),
            ["outlierDetection"] = ToNode(policy.OutlierDetection),
            ["tls"] = UpstreamTls(policy.Tls),
            ["activeRequests"] = cluster.CircuitBreaker.ActiveRequests,
            ["source"] = string.IsNullOrEmpty(service?.Source) ? null : service.Source,
            ["trafficPolicySource"] = TrafficPolicySource(service, cluster.Subset),
        };
    }

    private static JsonObject? UpstreamTls(UpstreamTlsConfig? tls)
    {
        if (tls is null || tls.Mode == UpstreamTlsMode.Disable)
        {
            return null;
        }

        return new JsonObject
        {
            ["mode"] = tls.Mode switch
            {
                UpstreamTlsMode.Simple => "SIMPLE",
                UpstreamTlsMode.Mutual => "MUTUAL",
                _ => "ISTIO_MUTUAL",
            },
            ["sni"] = tls.Sni,
            ["subjectAltNames"] = tls.SubjectAltNames.Count == 0 ? null : Strings(tls.SubjectAltNames),
            ["caCertificates"] = tls.CaCertificatesPath,
            ["clientCertificate"] = tls.ClientCertificatePath ?? tls.ClientCertificate?.Subject,
            ["privateKey"] = tls.PrivateKeyPath,
            ["insecureSkipVerify"] = tls.InsecureSkipVerify ? true : null,
        };
    }

    /// <summary>The DestinationRule (or builder) the cluster's policy came from: the subset's own, else the host's.</summary>
    private static JsonNode? TrafficPolicySource(UpstreamConfig? service, string? subset)
    {
        TrafficPolicyConfig? policy = service?.TrafficPolicy;
        if (subset is not null && service is not null)
        {
            foreach (var candidate in service.Subsets)
            {
                if (string.Equals(candidate.Name, subset, StringComparison.Ordinal) && candidate.TrafficPolicy is not null)
                {
                    policy = candidate.TrafficPolicy;
                }
            }
        }

        if (policy is null || policy.Source.Length == 0)
        {
            return null;
        }

        return policy.SourcePath.Length == 0 ? policy.Source : $"{policy.Source}: {policy.SourcePath}";
    }
}
