using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// VirtualService <c>delegate</c>, one level, as Istio merges it (<c>pilot/pkg/model/virtualservice.go</c>):
/// the parent rule is replaced by the delegate's rules. Each delegate match is combined with each parent
/// match that it does not conflict with: the child's conditions, plus the parent's where the child sets
/// none (an AND of both, which Istio requires to be the child's own subset of the parent). Conflicts:
/// uri/scheme/method/authority both set and the child's not inside the parent's (exact must equal; a
/// child prefix or exact must start with the parent prefix; a parent regex admits nothing else), a header,
/// withoutHeader or query parameter both set differently, different <c>ignoreUriCase</c>, different
/// ports. A child match that conflicts with every parent match drops the child rule (Istio: "the
/// HTTPRoute will not take effect"). The child's rewrite, timeout, retries, fault, mirrors, CORS and
/// headers win; the parent's fill the ones the child leaves unset.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private List<RouteConfig> ExpandDelegate(YamlResource service, YamlMappingNode http, string path, string name, HashSet<string> gateways, Dictionary<string, YamlResource> byName)
    {
        if (Has(http, "route") || Has(http, "redirect") || Has(http, "directResponse"))
        {
            _diagnostics.Error(service, $"{path}.delegate", "a delegating rule cannot also have route, redirect or directResponse");
            return [];
        }

        var target = Map(http, "delegate");
        var childName = String(target, "name");
        if (string.IsNullOrEmpty(childName))
        {
            _diagnostics.Error(service, $"{path}.delegate.name", "required");
            return [];
        }

        var key = $"{String(target, "namespace") ?? service.Namespace}/{childName}";
        if (!byName.TryGetValue(key, out var child) || ReferenceEquals(child, service))
        {
            _diagnostics.Warning(service, $"{path}.delegate", $"VirtualService {key} not found: the rule is not served");
            return [];
        }

        if (Has(child.Spec, "hosts"))
        {
            _diagnostics.Warning(child, "spec.hosts", $"a delegate VirtualService should have no hosts; its rules are used by {service.Source}: {path}");
        }

        if (MapIstioRule(service, http, path, name, gateways) is not { } parent)
        {
            return [];
        }

        var rules = new List<RouteConfig>();
        foreach (var (j, childHttp) in Maps(child.Spec, "http"))
        {
            var childPath = Index("spec.http", j);
            if (Has(childHttp, "delegate"))
            {
                _diagnostics.Error(child, $"{childPath}.delegate", "only one level of delegation is supported");
                continue;
            }

            var childRuleName = String(childHttp, "name") is { Length: > 0 } n ? n : $"#{j.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            if (MapIstioRule(child, childHttp, childPath, $"{name}>{child.QualifiedName}/{childRuleName}".Replace("/#", "#", StringComparison.Ordinal), gateways) is not { } rule)
            {
                continue;
            }

            if (MergeMatches(parent.Matches, rule.Matches) is not { } matches)
            {
                _diagnostics.Warning(child, $"{childPath}.match", $"conflicts with the match of {service.Source}: {path} (a delegate's match must be a subset of its parent's): the rule is not served");
                continue;
            }

            var childHeaders = rule.RequestHeaders is not null || rule.ResponseHeaders is not null;
            rules.Add(rule with
            {
                Matches = matches,
                Rewrite = rule.Rewrite ?? parent.Rewrite,
                Timeout = rule.Timeout ?? parent.Timeout,
                Retries = rule.Retries ?? parent.Retries,
                Fault = rule.Fault ?? parent.Fault,
                Mirrors = rule.Mirrors.Count > 0 ? rule.Mirrors : parent.Mirrors,
                Cors = rule.Cors ?? parent.Cors,
                RequestHeaders = childHeaders ? rule.RequestHeaders : parent.RequestHeaders,
                ResponseHeaders = childHeaders ? rule.ResponseHeaders : parent.ResponseHeaders,
            });
        }

        return rules;
    }

    /// <summary>Istio's <c>mergeHTTPMatchRequests</c>; <see langword="null"/> when a child match fits no parent match.</summary>
    internal static List<RouteMatchConfig>? MergeMatches(IReadOnlyList<RouteMatchConfig> parents, IReadOnlyList<RouteMatchConfig> children)
    {
        if (parents.Count == 0)
        {
            return [.. children];
        }

        if (children.Count == 0)
        {
            return [.. parents];
        }

        var merged = new List<RouteMatchConfig>();
        foreach (var child in children)
        {
            var found = false;
            foreach (var parent in parents)
            {
                if (Conflicts(parent, child))
                {
                    continue;
                }

                found = true;
                merged.Add(child with
                {
                    Path = child.Path ?? parent.Path,
                    Scheme = child.Scheme ?? parent.Scheme,
                    Method = child.Method ?? parent.Method,
                    Authority = child.Authority ?? parent.Authority,
                    Headers = Union(parent.Headers, child.Headers),
                    WithoutHeaders = Union(parent.WithoutHeaders, child.WithoutHeaders),
                    QueryParams = Union(parent.QueryParams, child.QueryParams),
                    Port = child.Port ?? parent.Port,
                });
            }

            if (!found)
            {
                return null;
            }
        }

        return merged;
    }

    private static bool Conflicts(RouteMatchConfig parent, RouteMatchConfig child)
        => Conflicts(parent.Path, child.Path) || Conflicts(parent.Scheme, child.Scheme) || Conflicts(parent.Method, child.Method)
            || Conflicts(parent.Authority, child.Authority)
            || Conflicts(parent.Headers, child.Headers) || Conflicts(parent.WithoutHeaders, child.WithoutHeaders)
            || Conflicts(parent.QueryParams, child.QueryParams)
            || parent.IgnoreUriCase != child.IgnoreUriCase
            || (parent.Port is { } a && child.Port is { } b && a != b);

    /// <summary>Istio's <c>stringMatchConflict</c>: no conflict when either is unset, else the child must lie inside the parent.</summary>
    private static bool Conflicts(StringMatchConfig? parent, StringMatchConfig? child)
    {
        if (parent is null || child is null)
        {
            return false;
        }

        return parent.Kind switch
        {
            StringMatchKind.Exact => child.Kind != StringMatchKind.Exact || child.Value != parent.Value,
            StringMatchKind.Prefix => child.Kind is not (StringMatchKind.Prefix or StringMatchKind.Exact) || !child.Value.StartsWith(parent.Value, StringComparison.Ordinal),
            _ => true,
        };
    }

    private static bool Conflicts(IReadOnlyList<NamedMatchConfig> parent, IReadOnlyList<NamedMatchConfig> child)
    {
        foreach (var leaf in child)
        {
            foreach (var root in parent)
            {
                if (string.Equals(root.Name, leaf.Name, StringComparison.OrdinalIgnoreCase)
                    && root.Match is not null && leaf.Match is not null && Conflicts(root.Match, leaf.Match))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static List<NamedMatchConfig> Union(IReadOnlyList<NamedMatchConfig> parent, IReadOnlyList<NamedMatchConfig> child)
    {
        var union = new List<NamedMatchConfig>(child);
        foreach (var root in parent)
        {
            if (!union.Exists(c => string.Equals(c.Name, root.Name, StringComparison.OrdinalIgnoreCase)))
            {
                union.Add(root);
            }
        }

        return union;
    }
}
