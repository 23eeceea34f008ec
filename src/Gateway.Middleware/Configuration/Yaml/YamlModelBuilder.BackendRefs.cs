using System.Globalization;
using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// HTTPRoute backendRefs: Service <c>X</c> in namespace <c>N</c> is the ServiceEntry host
/// <c>X.N.svc.cluster.local</c>. Weights are relative (default 1). A backend that cannot be resolved (no such
/// host or port, another kind, another namespace without a ReferenceGrant) answers 500 for its share.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private RouteConfig ApplyBackendRefs(YamlResource route, YamlMappingNode rule, string path, RouteConfig config)
    {
        if (config.Destinations.Count > 0)
        {
            // An unsupported filter already made the rule answer 500.
            return config;
        }

        var destinations = new List<DestinationConfig>();
        var total = 0L;
        foreach (var (i, backend) in Maps(rule, "backendRefs"))
        {
            var where = Index($"{path}.backendRefs", i);
            var weight = Int(backend, "weight") ?? 1;
            if (weight is < 0 or > 1_000_000)
            {
                _diagnostics.Error(route, $"{where}.weight", $"must be between 0 and 1000000, got {weight}");
                continue;
            }

            if (ReadBackendRef(route, backend, where, weight) is not { } destination)
            {
                continue;
            }

            foreach (var (j, filter) in Maps(backend, "filters"))
            {
                var filterPath = Index($"{where}.filters", j);
                switch (CheckFilter(route, filter, filterPath))
                {
                    case "RequestHeaderModifier":
                        destination = destination with { RequestHeaders = ReadHeaderModifier(Map(filter, "requestHeaderModifier")) };
                        break;
                    case "ResponseHeaderModifier":
                        destination = destination with { ResponseHeaders = ReadHeaderModifier(Map(filter, "responseHeaderModifier")) };
                        break;
                    case { } other:
                        _diagnostics.Warning(route, filterPath, $"{other} filters on a backendRef are not supported: this backend answers 500");
                        destination = new DestinationConfig(UnresolvedBackend($"filter {other}"), weight);
                        break;
                }
            }

            total += weight;
            destinations.Add(destination);
        }

        if (config.Redirect is not null)
        {
            if (destinations.Count > 0)
            {
                _diagnostics.Warning(route, $"{path}.backendRefs", "ignored: the rule redirects");
            }

            return config;
        }

        if (destinations.Count == 0 || total == 0)
        {
            // No backend, or all weighted 0, and nothing that answers: 500 (HTTPRouteRule.backendRefs).
            return config with { Destinations = [new DestinationConfig(UnresolvedBackend("no backend"), 1)] };
        }

        return config with { Destinations = destinations };
    }

    /// <summary>A backendRef (or mirror backendRef) as a destination; unresolvable ones go to a 500 upstream.</summary>
    private DestinationConfig? ReadBackendRef(YamlResource route, YamlMappingNode? backend, string where, int weight)
    {
        var name = String(backend, "name");
        if (string.IsNullOrEmpty(name))
        {
            _diagnostics.Error(route, $"{where}.name", "required");
            return null;
        }

        var group = String(backend, "group") ?? "";
        var kind = String(backend, "kind") ?? "Service";
        var ns = String(backend, "namespace") ?? route.Namespace;
        var port = Int(backend, "port");
        var label = $"{kind} {ns}/{name}";
        if (group.Length > 0 || kind != "Service")
        {
            _diagnostics.Warning(route, where, $"{kind} ({group}) backends are not supported: answers 500 for its share");
            return new DestinationConfig(UnresolvedBackend(label), weight);
        }

        if (port is null)
        {
            _diagnostics.Error(route, $"{where}.port", "required for a Service backend");
            return null;
        }

        if (ns != route.Namespace && !Granted(route, ns, name))
        {
            _diagnostics.Warning(route, where, $"no ReferenceGrant in namespace {ns} lets HTTPRoutes of {route.Namespace} reference Service {name}: answers 500 for its share");
            return new DestinationConfig(UnresolvedBackend(label), weight);
        }

        var host = IstioNames.ServiceHost(name, ns);
        if (!_upstreams.TryGetValue(host, out var upstream) || upstream.LocalReplyStatus is not null || upstream.IsPlaceholder)
        {
            _diagnostics.Warning(route, where, $"no ServiceEntry declares '{host}': answers 500 for its share");
            return new DestinationConfig(UnresolvedBackend(label), weight);
        }

        if (upstream.Ports.Count > 0 && !upstream.Ports.Contains(port.Value))
        {
            _diagnostics.Warning(route, $"{where}.port", $"'{host}' has no port {port.Value.ToString(CultureInfo.InvariantCulture)}: answers 500 for its share");
            return new DestinationConfig(UnresolvedBackend($"{label}:{port.Value.ToString(CultureInfo.InvariantCulture)}"), weight);
        }

        return new DestinationConfig(upstream.Name, weight) { Port = port };
    }

    /// <summary>Whether a ReferenceGrant in <paramref name="ns"/> admits HTTPRoutes of the route's namespace to Service <paramref name="name"/>.</summary>
    private bool Granted(YamlResource route, string ns, string name)
    {
        foreach (var grant in OfKind(YamlKinds.GatewayApi, "ReferenceGrant"))
        {
            if (grant.Namespace != ns)
            {
                continue;
            }

            var from = Maps(grant.Spec, "from").Any(f => String(f.Item, "group") == YamlKinds.GatewayApi
                && String(f.Item, "kind") == "HTTPRoute" && String(f.Item, "namespace") == route.Namespace);
            var to = Maps(grant.Spec, "to").Any(t => (String(t.Item, "group") ?? "") == "" && String(t.Item, "kind") == "Service"
                && (String(t.Item, "name") is null || String(t.Item, "name") == name));
            if (from && to)
            {
                return true;
            }
        }

        return false;
    }
}
