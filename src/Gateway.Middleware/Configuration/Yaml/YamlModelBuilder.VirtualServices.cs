using Gateway.Middleware.Hosts;
using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// VirtualService → routes bound to the servers of the Gateways named in <c>gateways</c> (<c>name</c> in the
/// VirtualService's namespace, or <c>ns/name</c>; <c>mesh</c> ignored). A VirtualService without
/// <c>gateways</c> binds to the mesh only, so not to this gateway. Rules keep their order; several
/// VirtualServices on one host are concatenated oldest first, catch-all rules last (Istio's merge).
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private void BuildVirtualServices()
    {
        var services = OldestFirst(YamlKinds.IstioNetworking, "VirtualService");
        var byName = new Dictionary<string, YamlResource>(StringComparer.Ordinal);
        var delegated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            byName[service.QualifiedName] = service;
            foreach (var (_, http) in Maps(service.Spec, "http"))
            {
                if (Map(http, "delegate") is { } target && String(target, "name") is { } name)
                {
                    delegated.Add($"{String(target, "namespace") ?? service.Namespace}/{name}");
                }
            }
        }

        var first = new List<RouteConfig>();
        var catchAlls = new List<RouteConfig>();
        foreach (var service in services)
        {
            var rules = BuildVirtualService(service, byName, delegated);
            var split = rules.FindIndex(IsCatchAll);
            first.AddRange(split < 0 ? rules : rules[..split]);
            catchAlls.AddRange(split < 0 ? [] : rules[split..]);
        }

        _routes.AddRange(first);
        _routes.AddRange(catchAlls);
    }

    private List<RouteConfig> BuildVirtualService(YamlResource service, Dictionary<string, YamlResource> byName, HashSet<string> delegated)
    {
        var spec = service.Spec;
        var texts = Strings(spec, "hosts");
        if (texts.Count == 0)
        {
            if (!delegated.Contains(service.QualifiedName))
            {
                _diagnostics.Warning(service, "spec.hosts", "no hosts and no VirtualService delegates to it: not served");
            }

            return [];
        }

        var hosts = new List<HostPattern>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (!HostPattern.TryParse(texts[i], out _, out var error)
                || !HostPattern.TryParse(IstioNames.ResolveHost(texts[i], service.Namespace), out var host, out error))
            {
                _diagnostics.Error(service, Index("spec.hosts", i), error!);
                continue;
            }

            hosts.Add(host);
        }

        if (hosts.Count < texts.Count || BindToGateways(service, hosts) is not { } binding)
        {
            return [];
        }

        if (Has(spec, "tls") || Has(spec, "tcp"))
        {
            _diagnostics.Warning(service, Has(spec, "tls") ? "spec.tls" : "spec.tcp", "TLS and TCP routes are not served (the gateway serves HTTP)");
        }

        var rules = new List<RouteConfig>();
        foreach (var (i, http) in Maps(spec, "http"))
        {
            var path = Index("spec.http", i);
            var name = RuleName(service, http, i);
            if (Has(http, "delegate"))
            {
                rules.AddRange(ExpandDelegate(service, http, path, name, binding.Gateways, byName));
            }
            else if (MapIstioRule(service, http, path, name, binding.Gateways) is { } rule)
            {
                rules.Add(rule);
            }
        }

        var bound = new List<RouteConfig>(rules.Count * binding.Groups.Count);
        // Rule-major, so the catch-all split that follows cuts every group's copy at the same rule.
        foreach (var rule in rules)
        {
            foreach (var (servers, hostNames) in binding.Groups)
            {
                var name = binding.Groups.Count == 1 ? rule.Name : $"{rule.Name}@{servers[0]}";
                bound.Add(rule with { Name = name, Hosts = hostNames, Servers = servers });
            }
        }

        return bound;
    }

    private static string RuleName(YamlResource service, YamlMappingNode http, int index)
        => String(http, "name") is { Length: > 0 } name ? $"{service.QualifiedName}/{name}" : $"{service.QualifiedName}#{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    private sealed record Binding(List<(List<string> Servers, List<string> Hosts)> Groups, HashSet<string> Gateways);

    private Binding? BindToGateways(YamlResource service, List<HostPattern> hosts)
    {
        var references = Strings(service.Spec, "gateways");
        var gateways = new HashSet<string>(StringComparer.Ordinal);
        var servers = new List<IstioServer>();
        for (var i = 0; i < references.Count; i++)
        {
            if (references[i] == "mesh")
            {
                continue;
            }

            var key = IstioNames.ResolveGateway(references[i], service.Namespace);
            if (!_istioGateways.TryGetValue(key, out var found))
            {
                _diagnostics.Warning(service, Index("spec.gateways", i), $"Gateway {key} not found");
                continue;
            }

            gateways.Add(key);
            servers.AddRange(found);
        }

        if (gateways.Count == 0)
        {
            if (!references.Any(r => r != "mesh"))
            {
                _diagnostics.Warning(service, "spec.gateways", "binds to the mesh (sidecars) only, not to this gateway: not served");
            }

            return null;
        }

        // servers.hosts "ns/host" admits only VirtualServices of that namespace: per server, narrow the hosts to
        // what it admits; servers that end up with the same hosts share one copy of the rules.
        var groups = new List<(List<string> Servers, List<string> Hosts)>();
        foreach (var server in servers)
        {
            var narrowed = new List<string>();
            foreach (var (serverHost, ns) in server.Hosts)
            {
                if (ns is not null && ns != service.Namespace)
                {
                    continue;
                }

                foreach (var host in hosts)
                {
                    if (HostPattern.TryIntersect(host, serverHost, out var both) && !narrowed.Contains(both.ToString()))
                    {
                        narrowed.Add(both.ToString());
                    }
                }
            }

            if (narrowed.Count == 0)
            {
                continue;
            }

            var unrestricted = server.Hosts.All(h => h.Namespace is null || h.Namespace == service.Namespace);
            var effective = unrestricted ? hosts.ConvertAll(h => h.ToString()) : narrowed;
            var group = groups.FindIndex(g => g.Hosts.SequenceEqual(effective));
            if (group < 0)
            {
                groups.Add(([server.Name], effective));
            }
            else
            {
                groups[group].Servers.Add(server.Name);
            }
        }

        if (groups.Count == 0)
        {
            _diagnostics.Warning(service, "spec.gateways", $"no server of the bound gateways admits VirtualServices of namespace {service.Namespace} for these hosts: not served");
            return null;
        }

        return new Binding(groups, gateways);
    }

    /// <summary>Istio's catch-all: no match, or a match with nothing but <c>prefix: /</c> (or regex <c>.*</c>).</summary>
    private static bool IsCatchAll(RouteConfig rule)
    {
        if (rule.Matches.Count == 0)
        {
            return true;
        }

        foreach (var match in rule.Matches)
        {
            var anyPath = match.Path is null
                || match.Path is { Kind: StringMatchKind.Prefix, Value: "/" }
                || match.Path is { Kind: StringMatchKind.Regex, Value: ".*" or "*" };
            if (anyPath && match.Scheme is null && match.Method is null && match.Authority is null && match.Headers.Count == 0
                && match.QueryParams.Count == 0 && match.WithoutHeaders.Count == 0 && match.Port is null)
            {
                return true;
            }
        }

        return false;
    }
}
