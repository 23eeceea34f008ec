using Gateway.Middleware.Upstreams;
using Gateway.Middleware.Upstreams.Tls;

namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigCompiler
{
    /// <summary>
    /// Builds clusters on demand, one per (service, subset, port) a rule names, sharing one handler per
    /// (service, subset) so connection pools are not split by port or rule.
    /// </summary>
    private sealed class ClusterFactory
    {
        private readonly Dictionary<string, UpstreamConfig> _services = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<(string, string?, int?), UpstreamCluster> _clusters = [];
        private readonly Dictionary<(string, string?, int?), HttpMessageInvoker> _invokers = [];
        private readonly Dictionary<(string, string?, int?), UpstreamConnections> _connections = [];
        private readonly UpstreamTlsServices _tls;
        private readonly TimeProvider _timeProvider;
        private readonly Microsoft.Extensions.Logging.ILogger? _logger;
        private readonly Diagnostics.GatewayMetrics? _metrics;

        public ClusterFactory(IReadOnlyList<UpstreamConfig> upstreams, UpstreamTlsServices tls, TimeProvider timeProvider, Microsoft.Extensions.Logging.ILogger? logger, Diagnostics.GatewayMetrics? metrics)
        {
            _tls = tls;
            _timeProvider = timeProvider;
            _logger = logger;
            _metrics = metrics;
            foreach (var upstream in upstreams)
            {
                _services[upstream.Name] = upstream;
            }
        }

        public HttpMessageInvoker[] Invokers => [.. _invokers.Values];

        public UpstreamCluster[] Clusters => [.. _clusters.Values];

        public UpstreamCluster Get(DestinationConfig destination)
        {
            var service = _services[destination.Upstream];
            var key = (service.Name.ToLowerInvariant(), destination.Subset, destination.Port);
            if (_clusters.TryGetValue(key, out var cluster))
            {
                return cluster;
            }

            var subset = destination.Subset is null ? null : FindSubset(service, destination.Subset);
            var labels = subset?.Labels;
            var policy = TrafficPolicyResolver.Resolve(service, subset, destination.Port);
            var endpoints = new List<UpstreamEndpoint>();
            foreach (var endpoint in service.Endpoints)
            {
                if (destination.Port is { } port && endpoint.ServicePort is { } served && served != port)
                {
                    continue;
                }

                if (labels is not null && !HasLabels(endpoint, labels))
                {
                    continue;
                }

                _ = GatewayConfigValidator.TryParseEndpoint(endpoint.Address, out var address, out _);
                endpoints.Add(UpstreamEndpoint.Create(address!, policy.Tls));
            }

            // One connection pool per (service, subset), split by port only where portLevelSettings apply.
            var invokerKey = (key.Item1, destination.Subset, policy.PortLevelPort);
            if (!_invokers.TryGetValue(invokerKey, out var invoker))
            {
                _connections[invokerKey] = new UpstreamConnections();
                _invokers[invokerKey] = invoker = UpstreamHandlerFactory.Create(service, policy, _tls, _connections[invokerKey]);
            }

            cluster = new UpstreamCluster(service.Name, destination.Subset, destination.Port, [.. endpoints], service.Protocol, invoker, policy, _timeProvider, _logger, _metrics)
            {
                LocalReplyStatus = service.LocalReplyStatus,
                Connections = _connections[invokerKey],
            };
            _clusters[key] = cluster;
            return cluster;
        }

        private static SubsetConfig FindSubset(UpstreamConfig service, string name)
        {
            foreach (var subset in service.Subsets)
            {
                if (subset.Name == name)
                {
                    return subset;
                }
            }

            throw new InvalidOperationException($"Validated subset '{name}' not found on '{service.Name}'.");
        }

        private static bool HasLabels(EndpointConfig endpoint, IReadOnlyDictionary<string, string> labels)
        {
            foreach (var (key, value) in labels)
            {
                if (!endpoint.Labels.TryGetValue(key, out var actual) || actual != value)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
