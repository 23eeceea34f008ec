using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// HTTPRoute rule filters: RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect (default 302),
/// URLRewrite and RequestMirror. A filter the gateway cannot apply (ExtensionRef, CORS) makes the rule
/// answer 500, as the spec requires for a filter that cannot be resolved.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private static readonly Dictionary<string, string> FilterFields = new(StringComparer.Ordinal)
    {
        ["RequestHeaderModifier"] = "requestHeaderModifier",
        ["ResponseHeaderModifier"] = "responseHeaderModifier",
        ["RequestMirror"] = "requestMirror",
        ["RequestRedirect"] = "requestRedirect",
        ["URLRewrite"] = "urlRewrite",
        ["ExtensionRef"] = "extensionRef",
        ["CORS"] = "cors",
    };

    private RouteConfig ApplyFilters(YamlResource route, YamlMappingNode rule, string path, RouteConfig config)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, filter) in Maps(rule, "filters"))
        {
            var where = Index($"{path}.filters", i);
            if (CheckFilter(route, filter, where) is not { } type)
            {
                continue;
            }

            if (type is not ("RequestMirror" or "ExtensionRef") && !seen.Add(type))
            {
                _diagnostics.Error(route, $"{where}.type", $"{type} may appear only once in a rule");
                continue;
            }

            var body = Map(filter, FilterFields[type]);
            switch (type)
            {
                case "RequestHeaderModifier":
                    config = config with { RequestHeaders = ReadHeaderModifier(body) };
                    break;
                case "ResponseHeaderModifier":
                    config = config with { ResponseHeaders = ReadHeaderModifier(body) };
                    break;
                case "RequestRedirect":
                    config = config with { Redirect = ReadRequestRedirect(route, body, $"{where}.requestRedirect", config) };
                    break;
                case "URLRewrite":
                    config = config with { Rewrite = ReadUrlRewrite(route, body, $"{where}.urlRewrite", config) };
                    break;
                case "RequestMirror":
                    if (ReadRequestMirror(route, body, $"{where}.requestMirror") is { } mirror)
                    {
                        config = config with { Mirrors = [.. config.Mirrors, mirror] };
                    }

                    break;
                default:
                    _diagnostics.Warning(route, where, $"{type} filters are not supported: the rule answers 500");
                    config = config with { Destinations = [new DestinationConfig(UnresolvedBackend($"filter {type}"), 1)] };
                    seen.Add("unsupported");
                    break;
            }
        }

        if (seen.Contains("RequestRedirect") && seen.Contains("URLRewrite"))
        {
            _diagnostics.Error(route, $"{path}.filters", "RequestRedirect and URLRewrite cannot be used together");
        }

        return config;
    }

    /// <summary>The filter's type when its configuration field matches it (the spec's CEL rules), else null.</summary>
    private string? CheckFilter(YamlResource route, YamlMappingNode filter, string where)
    {
        var type = String(filter, "type");
        if (type is null || !FilterFields.TryGetValue(type, out var field))
        {
            _diagnostics.Error(route, $"{where}.type", "required");
            return null;
        }

        var ok = true;
        foreach (var (other, otherField) in FilterFields)
        {
            if (other != type && Has(filter, otherField))
            {
                _diagnostics.Error(route, $"{where}.{otherField}", $"must not be set for type {type}");
                ok = false;
            }
        }

        if (!Has(filter, field))
        {
            _diagnostics.Error(route, $"{where}.{field}", $"required for type {type}");
            ok = false;
        }

        return ok ? type : null;
    }

    private static HeaderOperationsConfig ReadHeaderModifier(YamlMappingNode? modifier)
    {
        static List<KeyValuePair<string, string>> Headers(YamlMappingNode? modifier, string field)
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (var (_, header) in Maps(modifier, field))
            {
                list.Add(new(String(header, "name") ?? "", String(header, "value") ?? ""));
            }

            return list;
        }

        return new HeaderOperationsConfig { Set = Headers(modifier, "set"), Add = Headers(modifier, "add"), Remove = Strings(modifier, "remove") };
    }

    private RedirectConfig ReadRequestRedirect(YamlResource route, YamlMappingNode? redirect, string where, RouteConfig config)
    {
        var (full, prefix) = ReadPathModifier(route, Map(redirect, "path"), $"{where}.path", config);
        var code = Int(redirect, "statusCode") ?? 302;
        if (code is not (301 or 302 or 303 or 307 or 308))
        {
            _diagnostics.Error(route, $"{where}.statusCode", $"must be 301, 302, 303, 307 or 308, got {code}");
        }

        return new RedirectConfig
        {
            Scheme = String(redirect, "scheme"),
            Authority = String(redirect, "hostname"),
            Port = Int(redirect, "port"),
            Path = full,
            PrefixReplacement = prefix,
            Code = code,
        };
    }

    private RewriteConfig ReadUrlRewrite(YamlResource route, YamlMappingNode? rewrite, string where, RouteConfig config)
    {
        var (full, prefix) = ReadPathModifier(route, Map(rewrite, "path"), $"{where}.path", config);
        return new RewriteConfig { Authority = String(rewrite, "hostname"), FullPath = full, PrefixReplacement = prefix };
    }

    private (string? Full, string? Prefix) ReadPathModifier(YamlResource route, YamlMappingNode? modifier, string where, RouteConfig config)
    {
        if (modifier is null)
        {
            return (null, null);
        }

        var type = String(modifier, "type");
        var full = String(modifier, "replaceFullPath");
        var prefix = String(modifier, "replacePrefixMatch");
        if (type == "ReplaceFullPath" && (full is null || prefix is not null))
        {
            _diagnostics.Error(route, where, "type ReplaceFullPath needs replaceFullPath (and no replacePrefixMatch)");
        }
        else if (type == "ReplacePrefixMatch" && (prefix is null || full is not null))
        {
            _diagnostics.Error(route, where, "type ReplacePrefixMatch needs replacePrefixMatch (and no replaceFullPath)");
        }
        else if (type == "ReplacePrefixMatch" && config.Matches.Any(m => m.Path is not { Kind: StringMatchKind.SegmentPrefix }))
        {
            _diagnostics.Error(route, where, "ReplacePrefixMatch needs every match of the rule to be a PathPrefix match");
        }

        return type == "ReplaceFullPath" ? (full, null) : (null, prefix);
    }

    private MirrorConfig? ReadRequestMirror(YamlResource route, YamlMappingNode? mirror, string where)
    {
        var percentage = 100.0;
        if (Int(mirror, "percent") is { } percent)
        {
            percentage = percent;
        }
        else if (Map(mirror, "fraction") is { } fraction)
        {
            var denominator = Int(fraction, "denominator") ?? 100;
            var numerator = Int(fraction, "numerator") ?? 0;
            if (denominator <= 0 || numerator < 0 || numerator > denominator)
            {
                _diagnostics.Error(route, $"{where}.fraction", "needs 0 <= numerator <= denominator and denominator > 0");
            }
            else
            {
                percentage = 100.0 * numerator / denominator;
            }
        }

        if (percentage is < 0 or > 100)
        {
            _diagnostics.Error(route, $"{where}.percent", $"must be between 0 and 100, got {percentage}");
        }

        return ReadBackendRef(route, Map(mirror, "backendRef"), $"{where}.backendRef", weight: 1) is { } destination
            ? new MirrorConfig(destination, percentage)
            : null;
    }
}
