using Gateway.Middleware.Routing;
using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>One VirtualService <c>http[]</c> rule → a <see cref="RouteConfig"/>: matches and destinations.</summary>
internal sealed partial class YamlModelBuilder
{
    /// <summary>Maps a rule; <see langword="null"/> when none of its matches applies at this gateway.</summary>
    private RouteConfig? MapIstioRule(YamlResource service, YamlMappingNode http, string path, string name, HashSet<string> gateways)
    {
        var matches = new List<RouteMatchConfig>();
        var declared = 0;
        foreach (var (j, match) in Maps(http, "match"))
        {
            declared++;
            if (ReadIstioMatch(service, match, Index($"{path}.match", j), gateways) is { } read)
            {
                matches.Add(read);
            }
        }

        if (declared > 0 && matches.Count == 0)
        {
            _diagnostics.Warning(service, $"{path}.match", "every match names other gateways (match.gateways): the rule is not served here");
            return null;
        }

        var destinations = new List<DestinationConfig>();
        var routes = Maps(http, "route").ToList();
        foreach (var (k, route) in routes)
        {
            var routePath = Index($"{path}.route", k);
            if (ReadIstioDestination(service, Map(route, "destination"), $"{routePath}.destination", Int(route, "weight") ?? (routes.Count == 1 ? 100 : 0)) is { } destination)
            {
                var headers = Map(route, "headers");
                destinations.Add(destination with
                {
                    RequestHeaders = ReadHeaderOperations(Map(headers, "request")),
                    ResponseHeaders = ReadHeaderOperations(Map(headers, "response")),
                });
            }
        }

        var rule = new RouteConfig
        {
            Name = name,
            Matches = matches,
            Destinations = destinations,
            Source = service.Source,
            SourcePath = path,
        };
        return MapIstioActions(service, http, path, rule);
    }

    private DestinationConfig? ReadIstioDestination(YamlResource service, YamlMappingNode? destination, string path, int weight)
    {
        var host = String(destination, "host");
        if (string.IsNullOrEmpty(host))
        {
            _diagnostics.Error(service, $"{path}.host", "required");
            return null;
        }

        var subset = String(destination, "subset");
        var upstream = ResolveIstioDestination(service, path, IstioNames.ResolveHost(host, service.Namespace), subset);
        return new DestinationConfig(upstream, weight) { Subset = subset, Port = Int(Map(destination, "port"), "number") };
    }

    private RouteMatchConfig? ReadIstioMatch(YamlResource service, YamlMappingNode match, string path, HashSet<string> gateways)
    {
        var only = Strings(match, "gateways");
        if (only.Count > 0)
        {
            var here = only.Where(g => g != "mesh" && gateways.Contains(IstioNames.ResolveGateway(g, service.Namespace))).Count();
            if (here == 0)
            {
                return null;
            }

            if (here < gateways.Count)
            {
                _diagnostics.Warning(service, $"{path}.gateways", "applies on every gateway the VirtualService binds to (per-match gateways are not narrowed)");
            }
        }

        if (Has(match, "sourceLabels") || Has(match, "sourceNamespace"))
        {
            _diagnostics.Warning(service, path, "sourceLabels and sourceNamespace select sidecar clients and are ignored at the gateway");
        }

        var port = Int(match, "port");
        if (port is { } p && p is < 1 or > 65535)
        {
            _diagnostics.Error(service, $"{path}.port", $"must be between 1 and 65535, got {p}");
        }

        return new RouteMatchConfig
        {
            Path = ReadStringMatch(service, match, "uri", path, required: true),
            IgnoreUriCase = Bool(match, "ignoreUriCase") ?? false,
            Scheme = ReadStringMatch(service, match, "scheme", path, required: true),
            Method = ReadStringMatch(service, match, "method", path, required: true),
            Authority = ReadStringMatch(service, match, "authority", path, required: true),
            Headers = ReadNamedMatches(service, match, "headers", path),
            WithoutHeaders = ReadNamedMatches(service, match, "withoutHeaders", path),
            QueryParams = ReadNamedMatches(service, match, "queryParams", path),
            Port = port,
        };
    }

    private List<NamedMatchConfig> ReadNamedMatches(YamlResource service, YamlMappingNode match, string field, string path)
    {
        var list = new List<NamedMatchConfig>();
        if (Map(match, field) is { } map)
        {
            foreach (var (key, _) in map.Children)
            {
                if (key is YamlScalarNode { Value: { } name })
                {
                    list.Add(new NamedMatchConfig(name, ReadStringMatch(service, map, name, $"{path}.{field}", required: false)));
                }
            }
        }

        return list;
    }

    /// <summary>
    /// An Istio <c>StringMatch</c> under <paramref name="field"/>: one of exact, prefix or regex (RE2, checked
    /// here at its exact path). <c>{}</c> means "present" where <paramref name="required"/> is false.
    /// </summary>
    private StringMatchConfig? ReadStringMatch(YamlResource resource, YamlMappingNode? parent, string field, string path, bool required)
        => Get(parent, field) is { } node ? ReadStringMatch(resource, node, $"{path}.{field}", required) : null;

    private StringMatchConfig? ReadStringMatch(YamlResource resource, YamlNode node, string where, bool required)
    {
        if (node is not YamlMappingNode match)
        {
            return null;
        }

        var exact = String(match, "exact");
        var prefix = String(match, "prefix");
        var regex = String(match, "regex");
        var count = (exact is null ? 0 : 1) + (prefix is null ? 0 : 1) + (regex is null ? 0 : 1);
        if (count > 1)
        {
            _diagnostics.Error(resource, where, "give only one of exact, prefix or regex");
            return null;
        }

        if (count == 0)
        {
            if (required)
            {
                _diagnostics.Error(resource, where, "give one of exact, prefix or regex");
            }

            return null;
        }

        if (regex is not null)
        {
            if (StringMatcher.ValidateRegex(regex) is { } reason)
            {
                // Same wording as the model validator, so a message is not reported twice.
                _diagnostics.Error(resource, $"{where}.regex", $"invalid pattern '{regex}': {reason}");
                return null;
            }

            return new StringMatchConfig(StringMatchKind.Regex, regex);
        }

        return exact is not null ? new StringMatchConfig(StringMatchKind.Exact, exact) : new StringMatchConfig(StringMatchKind.Prefix, prefix!);
    }

    private static HeaderOperationsConfig? ReadHeaderOperations(YamlMappingNode? operations)
        => operations is null ? null : new HeaderOperationsConfig
        {
            Set = Pairs(operations, "set"),
            Add = Pairs(operations, "add"),
            Remove = Strings(operations, "remove"),
        };
}
