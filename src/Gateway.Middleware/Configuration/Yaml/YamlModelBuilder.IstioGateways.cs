using Gateway.Middleware.Hosts;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Istio Gateway → one server per HTTP/HTTPS/HTTP2/GRPC <c>servers[]</c> entry, named <c>ns/gateway/servers[i]</c>.
/// Hosts keep their optional namespace prefix (<c>ns/</c>, <c>./</c>, <c>*/</c>) for VirtualService binding.
/// <c>tls</c> maps to the server's TLS settings (HTTPS) and <c>httpsRedirect</c> (any protocol).
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private readonly Dictionary<string, List<IstioServer>> _istioGateways = new(StringComparer.Ordinal);

    /// <summary>A server and, per host, the namespace whose VirtualServices may bind to it (null: any).</summary>
    private sealed record IstioServer(string Name, IReadOnlyList<(HostPattern Host, string? Namespace)> Hosts);

    private void BuildIstioGateways()
    {
        foreach (var gateway in OldestFirst(YamlKinds.IstioNetworking, "Gateway"))
        {
            var servers = new List<IstioServer>();
            _istioGateways[gateway.QualifiedName] = servers;
            if (!Has(gateway.Spec, "servers"))
            {
                _diagnostics.Error(gateway, "spec.servers", "at least one server is required");
            }

            foreach (var (i, server) in Maps(gateway.Spec, "servers"))
            {
                if (BuildIstioServer(gateway, Index("spec.servers", i), server) is { } built)
                {
                    servers.Add(built);
                }
            }
        }
    }

    private IstioServer? BuildIstioServer(YamlResource gateway, string path, YamlDotNet.RepresentationModel.YamlMappingNode server)
    {
        var port = Map(server, "port");
        var number = Int(port, "number");
        var protocol = (String(port, "protocol") ?? "").ToUpperInvariant();
        var valid = true;
        if (number is not (>= 1 and <= 65535))
        {
            _diagnostics.Error(gateway, $"{path}.port.number", number is null ? "required" : $"must be between 1 and 65535, got {number}");
            valid = false;
        }

        if (protocol.Length == 0)
        {
            _diagnostics.Error(gateway, $"{path}.port.protocol", "required");
            valid = false;
        }

        var hosts = new List<(HostPattern, string?)>();
        var texts = Strings(server, "hosts");
        if (texts.Count == 0)
        {
            _diagnostics.Error(gateway, $"{path}.hosts", "at least one host is required");
            valid = false;
        }

        for (var h = 0; h < texts.Count; h++)
        {
            var (host, ns) = IstioNames.SplitServerHost(texts[h], gateway.Namespace);
            if (!HostPattern.TryParse(host, out var pattern, out var error))
            {
                _diagnostics.Error(gateway, Index($"{path}.hosts", h), error!);
                valid = false;
                continue;
            }

            hosts.Add((pattern, ns));
        }

        var tls = Map(server, "tls");
        var mode = String(tls, "mode") ?? "PASSTHROUGH";
        if (protocol is "HTTPS" && tls is null)
        {
            _diagnostics.Error(gateway, $"{path}.tls", "required for protocol HTTPS");
            valid = false;
        }
        else if (protocol is "HTTPS" && mode is "PASSTHROUGH" or "AUTO_PASSTHROUGH")
        {
            _diagnostics.Error(gateway, $"{path}.tls.mode", $"{mode} needs protocol TLS; an HTTPS server terminates TLS (SIMPLE, MUTUAL, OPTIONAL_MUTUAL or ISTIO_MUTUAL)");
            valid = false;
        }

        ServerTlsConfig? settings = null;
        if (protocol is "HTTPS" && tls is not null && mode is "SIMPLE" or "MUTUAL" or "OPTIONAL_MUTUAL" or "ISTIO_MUTUAL")
        {
            settings = IstioServerTls(gateway, $"{path}.tls", tls, mode);
            valid &= settings is not null;
        }

        if (protocol.Length > 0 && protocol is not ("HTTP" or "HTTPS" or "HTTP2" or "GRPC"))
        {
            _diagnostics.Warning(gateway, $"{path}.port.protocol", $"{protocol} servers are not served (the gateway serves HTTP)");
            return null;
        }

        if (!valid)
        {
            return null;
        }

        var name = $"{gateway.QualifiedName}/{path["spec.".Length..]}";
        var patterns = new List<string>(hosts.Count);
        foreach (var (host, _) in hosts)
        {
            patterns.Add(host.ToString());
        }

        _servers.Add(new ServerConfig
        {
            Name = name,
            Port = number,
            Hosts = patterns,
            Tls = settings is not null,
            TlsSettings = settings,
            HttpsRedirect = Bool(tls, "httpsRedirect") == true,
            Source = $"{gateway.Source}: {path}",
        });
        return new IstioServer(name, hosts);
    }
}
