using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.Middleware.Upstreams;
using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// ServiceEntry (and the WorkloadEntries it selects) → one upstream per host. Each port × endpoint becomes an
/// endpoint <c>http://address:targetPort</c> serving that service port, carrying the endpoint's labels; the
/// target port is the endpoint's <c>ports[name]</c>, else the port's <c>targetPort</c>, else its number.
/// Ports whose protocol is HTTPS or TLS get <c>https://</c> endpoints: the gateway originates TLS to them
/// (Istio would need a DestinationRule <c>tls: SIMPLE</c> for that); a DestinationRule's <c>tls</c> decides
/// for any port (see YamlModelBuilder.ClientTls.cs).
/// HTTP2, GRPC and GRPC-WEB ports (by protocol, else by port-name prefix) make the upstream HTTP/2.
/// DNS (and NONE) without endpoints connect to the host name itself; endpoint names are resolved when
/// connecting. STATIC endpoints must be IP addresses (Istio's rule).
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private readonly Dictionary<string, UpstreamState> _upstreams = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<UpstreamState> _upstreamOrder = [];

    private sealed class UpstreamState
    {
        public required string Name { get; init; }

        public required string Source { get; init; }

        public List<EndpointConfig> Endpoints { get; } = [];

        public List<SubsetConfig> Subsets { get; } = [];

        public HashSet<int> Ports { get; } = [];

        public UpstreamProtocol Protocol { get; set; }

        public int? LocalReplyStatus { get; init; }

        public bool IsPlaceholder { get; init; }

        /// <summary>The top-level DestinationRule policy, from the oldest rule for the host that sets one.</summary>
        public TrafficPolicyConfig? TrafficPolicy { get; set; }

        public UpstreamConfig Build() => new()
        {
            Name = Name,
            Endpoints = [.. Endpoints],
            Subsets = [.. Subsets],
            Protocol = Protocol,
            TrafficPolicy = TrafficPolicy,
            LocalReplyStatus = LocalReplyStatus,
            IsPlaceholder = IsPlaceholder,
            Source = Source,
        };
    }

    private sealed record ServicePort(int Number, string Name, string Protocol, int? TargetPort);

    private sealed record Workload(string Address, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<KeyValuePair<string, string>> Ports, string Path);

    private List<UpstreamConfig> UpstreamList()
    {
        var list = new List<UpstreamConfig>(_upstreamOrder.Count);
        foreach (var upstream in _upstreamOrder)
        {
            list.Add(upstream.Build());
        }

        return list;
    }

    private void BuildUpstreams()
    {
        foreach (var entry in OldestFirst(YamlKinds.IstioNetworking, "ServiceEntry"))
        {
            BuildServiceEntry(entry);
        }
    }

    private void BuildServiceEntry(YamlResource entry)
    {
        var spec = entry.Spec;
        var hosts = Strings(spec, "hosts");
        if (hosts.Count == 0)
        {
            _diagnostics.Error(entry, "spec.hosts", "at least one host is required");
        }

        var ports = ReadServicePorts(entry);
        var resolution = String(spec, "resolution") ?? "NONE";
        var workloads = ReadWorkloads(entry, resolution);
        var https = new HashSet<int>();
        var protocols = new HashSet<UpstreamProtocol>();
        foreach (var port in ports)
        {
            var protocol = Protocol(port);
            if (protocol is "HTTPS" or "TLS")
            {
                https.Add(port.Number);
            }

            protocols.Add(protocol is "HTTP2" or "GRPC" or "GRPC-WEB" ? UpstreamProtocol.Http2 : UpstreamProtocol.Http1);
        }

        if (protocols.Count > 1)
        {
            _diagnostics.Warning(entry, "spec.ports", "ports mix HTTP/1.1 and HTTP/2 protocols; the gateway speaks HTTP/1.1 to every port of this service");
        }

        for (var h = 0; h < hosts.Count; h++)
        {
            var host = hosts[h];
            var path = Index("spec.hosts", h);
            if (_upstreams.TryGetValue(host, out var existing))
            {
                _diagnostics.Error(entry, path, $"host '{host}' is already declared by {existing.Source}");
                continue;
            }

            var upstream = new UpstreamState { Name = host, Source = $"{entry.Source}: {path}" };
            upstream.Protocol = protocols.Count == 1 && protocols.Contains(UpstreamProtocol.Http2) ? UpstreamProtocol.Http2 : UpstreamProtocol.Http1;
            foreach (var port in ports)
            {
                upstream.Ports.Add(port.Number);
            }

            IReadOnlyList<Workload> endpoints = workloads;
            if (resolution is "DNS" or "DNS_ROUND_ROBIN" or "NONE" && workloads.Count == 0)
            {
                // DNS without endpoints resolves the host itself when connecting (Istio: "the hosts are resolved").
                if (host.StartsWith('*'))
                {
                    if (resolution != "NONE")
                    {
                        _diagnostics.Error(entry, path, $"wildcard host '{host}' cannot be resolved with resolution {resolution}");
                    }

                    endpoints = [];
                }
                else
                {
                    if (resolution == "NONE")
                    {
                        _diagnostics.Warning(entry, "spec.resolution", $"NONE (passthrough) is served as DNS: the gateway connects to '{host}' itself");
                    }

                    endpoints = [new Workload(host, new Dictionary<string, string>(), [], path)];
                }
            }

            foreach (var workload in endpoints)
            {
                foreach (var port in ports)
                {
                    var target = port.TargetPort ?? port.Number;
                    foreach (var (name, value) in workload.Ports)
                    {
                        if (name == port.Name && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var named))
                        {
                            target = named;
                        }
                    }

                    var scheme = https.Contains(port.Number) ? "https" : "http";
                    upstream.Endpoints.Add(new EndpointConfig($"{scheme}://{FormatAddress(workload.Address)}:{target.ToString(CultureInfo.InvariantCulture)}")
                    {
                        Labels = workload.Labels,
                        ServicePort = port.Number,
                    });
                }
            }

            _upstreams[host] = upstream;
            _upstreamOrder.Add(upstream);
        }
    }

    private List<ServicePort> ReadServicePorts(YamlResource entry)
    {
        var ports = new List<ServicePort>();
        var numbers = new HashSet<int>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, port) in Maps(entry.Spec, "ports"))
        {
            var path = Index("spec.ports", i);
            var number = Int(port, "number");
            if (number is not (>= 1 and <= 65535))
            {
                _diagnostics.Error(entry, $"{path}.number", number is null ? "required" : $"must be between 1 and 65535, got {number}");
                continue;
            }

            var name = String(port, "name") ?? "";
            var protocol = (String(port, "protocol") ?? "").ToUpperInvariant();
            if (protocol.Length > 0 && protocol is not ("HTTP" or "HTTPS" or "HTTP2" or "GRPC" or "GRPC-WEB" or "TCP" or "TLS" or "MONGO" or "REDIS" or "MYSQL" or "UDP"))
            {
                _diagnostics.Error(entry, $"{path}.protocol", $"unknown protocol '{String(port, "protocol")}'");
            }

            if (!numbers.Add(number.Value))
            {
                _diagnostics.Error(entry, $"{path}.number", $"port {number} is declared twice");
            }

            if (name.Length > 0 && !names.Add(name))
            {
                _diagnostics.Error(entry, $"{path}.name", $"port name '{name}' is declared twice");
            }

            var target = Int(port, "targetPort");
            if (target is { } t && t is < 1 or > 65535)
            {
                _diagnostics.Error(entry, $"{path}.targetPort", $"must be between 1 and 65535, got {t}");
                target = null;
            }

            ports.Add(new ServicePort(number.Value, name, protocol, target));
        }

        if (ports.Count == 0 && !Has(entry.Spec, "ports"))
        {
            _diagnostics.Error(entry, "spec.ports", "at least one port is required");
        }

        return ports;
    }

    /// <summary>Istio picks the protocol from <c>protocol</c>, else from the port name prefix (<c>http2-web</c>, <c>grpc</c>).</summary>
    private static string Protocol(ServicePort port)
    {
        if (port.Protocol.Length > 0)
        {
            return port.Protocol;
        }

        var name = port.Name.ToUpperInvariant();
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? name : name[..dash];
    }

    private List<Workload> ReadWorkloads(YamlResource entry, string resolution)
    {
        var spec = entry.Spec;
        var workloads = new List<Workload>();
        var selector = Map(spec, "workloadSelector");
        if (selector is not null && Has(spec, "endpoints"))
        {
            _diagnostics.Error(entry, "spec.workloadSelector", "endpoints and workloadSelector are mutually exclusive");
        }

        var portNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, port) in Maps(spec, "ports"))
        {
            portNames.Add(String(port, "name") ?? "");
        }

        foreach (var (i, endpoint) in Maps(spec, "endpoints"))
        {
            var path = Index("spec.endpoints", i);
            if (ReadWorkload(entry, endpoint, path, resolution, portNames) is { } workload)
            {
                workloads.Add(workload);
            }
        }

        if (selector is not null)
        {
            var wanted = Labels(selector, "labels");
            foreach (var workloadEntry in OfKind(YamlKinds.IstioNetworking, "WorkloadEntry"))
            {
                var labels = Labels(workloadEntry.Spec, "labels");
                if (workloadEntry.Namespace == entry.Namespace && Selects(wanted, labels)
                    && ReadWorkload(workloadEntry, workloadEntry.Spec, "spec", "STATIC", portNames) is { } workload)
                {
                    workloads.Add(workload);
                }
            }

            if (resolution is not ("STATIC" or "NONE"))
            {
                _diagnostics.Error(entry, "spec.workloadSelector", $"workloadSelector needs resolution STATIC, got {resolution}");
            }
        }

        return workloads;
    }

    private Workload? ReadWorkload(YamlResource owner, YamlMappingNode endpoint, string path, string resolution, HashSet<string> portNames)
    {
        var address = String(endpoint, "address");
        if (string.IsNullOrEmpty(address))
        {
            _diagnostics.Error(owner, $"{path}.address", "required");
            return null;
        }

        if (address.StartsWith("unix://", StringComparison.Ordinal))
        {
            _diagnostics.Warning(owner, $"{path}.address", "unix domain socket endpoints are not supported; endpoint skipped");
            return null;
        }

        if (resolution == "STATIC" && !IPAddress.TryParse(address, out _))
        {
            _diagnostics.Error(owner, $"{path}.address", $"'{address}' is not an IP address (resolution STATIC); use resolution DNS for host names");
            return null;
        }

        var ports = Pairs(endpoint, "ports");
        foreach (var (name, value) in ports)
        {
            if (!portNames.Contains(name))
            {
                _diagnostics.Error(owner, $"{path}.ports.{name}", "names no port of the ServiceEntry");
            }
            else if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                _diagnostics.Error(owner, $"{path}.ports.{name}", $"must be between 1 and 65535, got {value}");
            }
        }

        return new Workload(address, Labels(endpoint, "labels"), ports, path);
    }

    private static bool Selects(Dictionary<string, string> wanted, Dictionary<string, string> labels)
    {
        foreach (var (key, value) in wanted)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }

    private static string FormatAddress(string address)
        => IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
}
