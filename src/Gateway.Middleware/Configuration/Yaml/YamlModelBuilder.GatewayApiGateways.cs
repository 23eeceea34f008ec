using Gateway.Middleware.Hosts;
using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Gateway API Gateway → one server per HTTP/HTTPS listener, named <c>ns/gateway/listener</c>, serving the
/// listener's hostname (or every host).
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private readonly Dictionary<string, List<Listener>> _gatewayApiGateways = new(StringComparer.Ordinal);

    /// <summary>
    /// A listener: its server, and what may attach to it (<c>allowedRoutes.namespaces.from</c>: All, Same,
    /// Selector or None; whether <c>allowedRoutes.kinds</c> admits HTTPRoute; whether its protocol is served).
    /// </summary>
    private sealed record Listener(string Name, string ServerName, int Port, string Namespace, string AllowedFrom, bool AcceptsHttpRoute, bool Served);

    private void BuildGatewayApiGateways()
    {
        foreach (var gateway in OldestFirst(YamlKinds.GatewayApi, "Gateway"))
        {
            var listeners = new List<Listener>();
            _gatewayApiGateways[gateway.QualifiedName] = listeners;
            if (string.IsNullOrEmpty(String(gateway.Spec, "gatewayClassName")))
            {
                _diagnostics.Error(gateway, "spec.gatewayClassName", "required");
            }

            if (!Has(gateway.Spec, "listeners"))
            {
                _diagnostics.Error(gateway, "spec.listeners", "at least one listener is required");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (i, listener) in Maps(gateway.Spec, "listeners"))
            {
                var path = Index("spec.listeners", i);
                var name = String(listener, "name");
                if (string.IsNullOrEmpty(name))
                {
                    _diagnostics.Error(gateway, $"{path}.name", "required");
                    continue;
                }

                if (!names.Add(name))
                {
                    _diagnostics.Error(gateway, $"{path}.name", $"listener name '{name}' is used twice");
                    continue;
                }

                if (BuildListener(gateway, path, name, listener) is { } built)
                {
                    listeners.Add(built);
                }
            }
        }
    }

    private Listener? BuildListener(YamlResource gateway, string path, string name, YamlMappingNode listener)
    {
        var port = Int(listener, "port");
        var protocol = String(listener, "protocol") ?? "";
        if (port is not (>= 1 and <= 65535))
        {
            _diagnostics.Error(gateway, $"{path}.port", port is null ? "required" : $"must be between 1 and 65535, got {port}");
            return null;
        }

        if (protocol.Length == 0)
        {
            _diagnostics.Error(gateway, $"{path}.protocol", "required");
            return null;
        }

        var hostname = String(listener, "hostname");
        if (hostname is not null && (hostname == "*" || !HostPattern.TryParse(hostname, out _, out _)))
        {
            _diagnostics.Error(gateway, $"{path}.hostname", $"'{hostname}' is not a valid hostname (a name or *.suffix)");
            return null;
        }

        var tls = Map(listener, "tls");
        if (protocol == "HTTPS" && (tls is null || (String(tls, "mode") ?? "Terminate") != "Terminate"))
        {
            _diagnostics.Error(gateway, $"{path}.tls", "an HTTPS listener needs tls with mode Terminate");
            return null;
        }

        var settings = protocol == "HTTPS" ? ListenerTls(gateway, $"{path}.tls", tls!) : null;
        if (protocol == "HTTPS" && settings is null)
        {
            return null;
        }

        var allowed = Map(listener, "allowedRoutes");
        var from = String(Map(allowed, "namespaces"), "from") ?? "Same";
        if (from == "Selector")
        {
            _diagnostics.Warning(gateway, $"{path}.allowedRoutes.namespaces.from", "Selector: namespace labels are unknown here, routes from every namespace may attach");
        }

        var acceptsHttpRoute = !Has(allowed, "kinds");
        foreach (var (_, kind) in Maps(allowed, "kinds"))
        {
            acceptsHttpRoute |= String(kind, "kind") == "HTTPRoute" && (String(kind, "group") ?? YamlKinds.GatewayApi) == YamlKinds.GatewayApi;
        }

        var served = protocol is "HTTP" or "HTTPS";
        var serverName = $"{gateway.QualifiedName}/{name}";
        if (!served)
        {
            _diagnostics.Warning(gateway, $"{path}.protocol", $"{protocol} listeners are not served (the gateway serves HTTP and HTTPS)");
        }
        else
        {
            _servers.Add(new ServerConfig
            {
                Name = serverName,
                Port = port,
                Hosts = [hostname ?? "*"],
                Tls = protocol == "HTTPS",
                TlsSettings = settings,
                Source = $"{gateway.Source}: {path}",
            });
        }

        return new Listener(name, serverName, port.Value, gateway.Namespace, from, acceptsHttpRoute, served);
    }
}
