using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>
/// <c>Gateway:Upstreams:{name}</c>: a service (an Istio ServiceEntry host with its DestinationRule
/// subsets), as <c>AddUpstream(name, ...)</c>.
/// </summary>
internal sealed partial class AppSettingsModelBuilder
{
    private static readonly UpstreamConfig UpstreamDefaults = new() { Name = "" };

    private List<UpstreamConfig> ReadUpstreams(ConfigNode? node)
    {
        var upstreams = new List<UpstreamConfig>();
        foreach (var entry in Map(node))
        {
            var fields = Object(entry, "Endpoints", "Subsets", "Protocol", "ConnectTimeout", "Tls", "TrafficPolicy") ?? ConfigObject.Empty;
            var policy = ReadTrafficPolicy(fields["TrafficPolicy"]);
            if (policy?.Tls is not null && !Absent(fields["Tls"]))
            {
                Error(fields["Tls"]!, "set Tls here or under TrafficPolicy:Tls, not both");
            }

            if (policy?.ConnectionPool?.ConnectTimeout is not null && !Absent(fields["ConnectTimeout"]))
            {
                Error(fields["ConnectTimeout"]!, "set ConnectTimeout here or under TrafficPolicy:ConnectionPool:Tcp:ConnectTimeout, not both");
            }

            upstreams.Add(new UpstreamConfig
            {
                Name = entry.Key,
                Endpoints = ReadEndpoints(fields["Endpoints"]),
                Subsets = ReadSubsets(fields["Subsets"]),
                Protocol = OneOf(fields["Protocol"], Enum.GetNames<UpstreamProtocol>()) is { } protocol ? Enum.Parse<UpstreamProtocol>(protocol) : UpstreamDefaults.Protocol,
                ConnectTimeout = Duration(fields["ConnectTimeout"]) ?? UpstreamDefaults.ConnectTimeout,
                Tls = ReadUpstreamTls(fields["Tls"]),
                TrafficPolicy = policy,
                Source = entry.Path,
            });
        }

        return upstreams;
    }

    private List<EndpointConfig> ReadEndpoints(ConfigNode? node)
    {
        var endpoints = new List<EndpointConfig>();
        foreach (var item in List(node))
        {
            // "http://127.0.0.1:9080" alone is short for { "Address": "http://127.0.0.1:9080" }.
            if (item.Children.Count == 0)
            {
                if (String(item) is { } address)
                {
                    endpoints.Add(new EndpointConfig(address));
                }
                else
                {
                    Error(item, "expected an address or an object with Address, Labels and ServicePort");
                }

                continue;
            }

            var fields = Object(item, "Address", "Labels", "ServicePort");
            if (fields is null)
            {
                continue;
            }

            if (String(fields["Address"]) is not { } endpoint)
            {
                if (Absent(fields["Address"]))
                {
                    Missing(item, "Address");
                }

                continue;
            }

            endpoints.Add(new EndpointConfig(endpoint) { Labels = Labels(fields["Labels"]), ServicePort = Int(fields["ServicePort"]) });
        }

        return endpoints;
    }

    /// <summary>
    /// <c>"Subsets": { "v1": { "Labels": { "version": "v1" }, "TrafficPolicy": { ... } } }</c>: Istio's subset
    /// shape (name, labels, traffic policy).
    /// </summary>
    private List<SubsetConfig> ReadSubsets(ConfigNode? node)
    {
        var subsets = new List<SubsetConfig>();
        foreach (var entry in Map(node))
        {
            var fields = Object(entry, "Labels", "TrafficPolicy") ?? ConfigObject.Empty;
            subsets.Add(new SubsetConfig(entry.Key, Labels(fields["Labels"])) { TrafficPolicy = ReadTrafficPolicy(fields["TrafficPolicy"]) });
        }

        return subsets;
    }

    /// <summary>
    /// The upstream-level <c>Tls</c> section, kept beside <c>TrafficPolicy:Tls</c>: the same fields, except that
    /// <c>CaCertificates</c> is read once here (a missing or empty file is a binding error) instead of being
    /// re-read when the file changes.
    /// </summary>
    private UpstreamTlsConfig? ReadUpstreamTls(ConfigNode? node) => ReadClientTls(node, ReadCaCertificates);

    /// <summary>Istio <c>tls.caCertificates</c>: a PEM file of roots to trust instead of the system store.</summary>
    private X509Certificate2Collection? ReadCaCertificates(ConfigNode? node)
    {
        if (String(node) is not { } path)
        {
            return null;
        }

        if (path.Length == 0)
        {
            Error(node!, "must not be empty");
            return null;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(Path.GetFullPath(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            Error(node!, $"cannot read '{path}': {ex.Message}");
            return null;
        }

        if (roots.Count == 0)
        {
            Error(node!, $"'{path}' holds no PEM certificate");
            return null;
        }

        return roots;
    }

    private Dictionary<string, string> Labels(ConfigNode? node)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in StringMap(node))
        {
            labels[key] = value;
        }

        return labels;
    }
}
