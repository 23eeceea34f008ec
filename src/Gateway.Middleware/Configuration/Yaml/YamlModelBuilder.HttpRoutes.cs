using System.Globalization;
using Gateway.Middleware.Hosts;
using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Gateway API HTTPRoute → one route per rule, ordered by the Gateway API's precedence across every route
/// on a host. Ties are broken by creation (<c>metadata.creationTimestamp</c>; resources without one count
/// as newer than any that has one, in load order), then <c>namespace/name</c>, then rule index.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private void BuildHttpRoutes()
    {
        foreach (var route in OfKind(YamlKinds.GatewayApi, "HTTPRoute"))
        {
            if (AttachHttpRoute(route) is not { } servers)
            {
                continue;
            }

            var hostnames = Strings(route.Spec, "hostnames");
            var hostsValid = true;
            for (var i = 0; i < hostnames.Count; i++)
            {
                if (hostnames[i] == "*" || !HostPattern.TryParse(hostnames[i], out _, out _))
                {
                    _diagnostics.Error(route, Index("spec.hostnames", i), $"'{hostnames[i]}' is not a valid hostname (a name or *.suffix)");
                    hostsValid = false;
                }
            }

            var creation = route.CreationTimestamp is { } created ? created.UtcTicks : DateTime.MaxValue.Ticks + 1L + route.LoadOrder;
            foreach (var (i, rule) in Maps(route.Spec, "rules"))
            {
                var name = String(rule, "name") is { Length: > 0 } ruleName ? $"{route.QualifiedName}/{ruleName}" : $"{route.QualifiedName}#{i.ToString(CultureInfo.InvariantCulture)}";
                if (MapHttpRouteRule(route, rule, Index("spec.rules", i), name) is { } mapped && hostsValid)
                {
                    _routes.Add(mapped with
                    {
                        Hosts = hostnames,
                        Servers = servers,
                        Ordering = RouteOrdering.GatewayApiPrecedence,
                        GatewayApi = new GatewayApiRouteIdentity(creation, route.QualifiedName, i),
                    });
                }
            }
        }
    }

    /// <summary>The servers (listeners) the route's parentRefs attach it to; <see langword="null"/> when none.</summary>
    private List<string>? AttachHttpRoute(YamlResource route)
    {
        var servers = new List<string>();
        if (!Has(route.Spec, "parentRefs"))
        {
            _diagnostics.Warning(route, "spec.parentRefs", "no parentRefs: the route attaches to no Gateway and is not served");
            return null;
        }

        foreach (var (i, parent) in Maps(route.Spec, "parentRefs"))
        {
            var path = Index("spec.parentRefs", i);
            var group = String(parent, "group") ?? YamlKinds.GatewayApi;
            var kind = String(parent, "kind") ?? "Gateway";
            if (group != YamlKinds.GatewayApi || kind != "Gateway")
            {
                _diagnostics.Warning(route, path, $"parent {kind} ({group}) is not a Gateway: not served here");
                continue;
            }

            var name = String(parent, "name");
            if (string.IsNullOrEmpty(name))
            {
                _diagnostics.Error(route, $"{path}.name", "required");
                continue;
            }

            var key = $"{String(parent, "namespace") ?? route.Namespace}/{name}";
            if (!_gatewayApiGateways.TryGetValue(key, out var listeners))
            {
                _diagnostics.Warning(route, path, $"Gateway {key} not found");
                continue;
            }

            var section = String(parent, "sectionName");
            var port = Int(parent, "port");
            var attached = 0;
            foreach (var listener in listeners)
            {
                if ((section is null || section == listener.Name) && (port is null || port == listener.Port) && listener.Served && listener.AcceptsHttpRoute
                    && (listener.AllowedFrom is "All" or "Selector" || (listener.AllowedFrom == "Same" && listener.Namespace == route.Namespace)))
                {
                    attached++;
                    if (!servers.Contains(listener.ServerName))
                    {
                        servers.Add(listener.ServerName);
                    }
                }
            }

            if (attached == 0)
            {
                _diagnostics.Warning(route, path, $"no listener of Gateway {key}{(section is null ? "" : $" named '{section}'")} accepts this route (protocol, port, allowedRoutes)");
            }
        }

        return servers.Count == 0 ? null : servers;
    }

    /// <summary>Maps one rule; <see langword="null"/> when it has errors (reported at their Gateway API paths).</summary>
    private RouteConfig? MapHttpRouteRule(YamlResource route, YamlMappingNode rule, string path, string name)
    {
        var errors = _diagnostics.ErrorCount;
        var matches = new List<RouteMatchConfig>();
        foreach (var (j, match) in Maps(rule, "matches"))
        {
            matches.Add(ReadGatewayApiMatch(route, match, Index($"{path}.matches", j)));
        }

        if (matches.Count == 0)
        {
            // A rule without matches matches every request: PathPrefix "/".
            matches.Add(new RouteMatchConfig { Path = new StringMatchConfig(StringMatchKind.SegmentPrefix, "/") });
        }

        var config = new RouteConfig { Name = name, Matches = matches, Source = route.Source, SourcePath = path };
        config = ApplyFilters(route, rule, path, config);
        config = ApplyBackendRefs(route, rule, path, config);
        if (Map(rule, "timeouts") is { } timeouts)
        {
            if (String(timeouts, "request") is { } request && YamlDuration.TryParseGatewayApi(request, out var timeout, out _))
            {
                // "0s" disables the timeout.
                config = config with { Timeout = timeout == TimeSpan.Zero ? null : timeout };
            }

            if (Has(timeouts, "backendRequest"))
            {
                _diagnostics.Warning(route, $"{path}.timeouts.backendRequest", "not applied yet: only the request timeout is");
            }
        }

        if (Has(rule, "retry") || Has(rule, "sessionPersistence"))
        {
            _diagnostics.Warning(route, Has(rule, "retry") ? $"{path}.retry" : $"{path}.sessionPersistence", "not applied yet (experimental channel)");
        }

        return _diagnostics.ErrorCount == errors ? config : null;
    }

    private RouteMatchConfig ReadGatewayApiMatch(YamlResource route, YamlMappingNode match, string path)
    {
        StringMatchConfig? pathMatch = new(StringMatchKind.SegmentPrefix, "/");
        if (Map(match, "path") is { } p)
        {
            var type = String(p, "type") ?? "PathPrefix";
            var value = String(p, "value") ?? "/";
            if (type == "RegularExpression")
            {
                if (Routing.StringMatcher.ValidateRegex(value) is { } reason)
                {
                    _diagnostics.Error(route, $"{path}.path.value", $"invalid pattern '{value}': {reason}");
                }

                pathMatch = new StringMatchConfig(StringMatchKind.Regex, value);
            }
            else
            {
                if (!value.StartsWith('/'))
                {
                    _diagnostics.Error(route, $"{path}.path.value", $"'{value}' must start with '/'");
                }

                pathMatch = new StringMatchConfig(type == "Exact" ? StringMatchKind.Exact : StringMatchKind.SegmentPrefix, value);
            }
        }

        return new RouteMatchConfig
        {
            Path = pathMatch,
            Method = String(match, "method") is { } method ? new StringMatchConfig(StringMatchKind.Exact, method) : null,
            Headers = ReadGatewayApiNamedMatches(route, match, "headers", path, StringComparison.OrdinalIgnoreCase),
            QueryParams = ReadGatewayApiNamedMatches(route, match, "queryParams", path, StringComparison.Ordinal),
        };
    }

    /// <summary>Header (names case-insensitive) or query (case-sensitive) matches; only the first entry of a name counts (spec).</summary>
    private List<NamedMatchConfig> ReadGatewayApiNamedMatches(YamlResource route, YamlMappingNode match, string field, string path, StringComparison names)
    {
        var list = new List<NamedMatchConfig>();
        foreach (var (k, entry) in Maps(match, field))
        {
            var where = Index($"{path}.{field}", k);
            var name = String(entry, "name");
            var value = String(entry, "value");
            if (string.IsNullOrEmpty(name) || value is null)
            {
                _diagnostics.Error(route, where, "name and value are required");
                continue;
            }

            if (list.Exists(m => string.Equals(m.Name, name, names)))
            {
                continue;
            }

            var regex = String(entry, "type") == "RegularExpression";
            if (regex && Routing.StringMatcher.ValidateRegex(value) is { } reason)
            {
                _diagnostics.Error(route, $"{where}.value", $"invalid pattern '{value}': {reason}");
            }

            list.Add(new NamedMatchConfig(name, new StringMatchConfig(regex ? StringMatchKind.Regex : StringMatchKind.Exact, value)));
        }

        return list;
    }
}
