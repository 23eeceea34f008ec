using Gateway.Middleware.Hosts;
using Gateway.Middleware.Upstreams;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// DestinationRule → subsets and traffic policies of the upstreams whose name is the rule's host (short names
/// resolved in the rule's namespace). As in Istio, each upstream takes the rules of the most specific host
/// that covers it (its exact name, else the longest wildcard), and several rules for that host merge oldest
/// first: subsets add up, the top-level <c>trafficPolicy</c> comes from the oldest rule that sets one.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private sealed record DestinationRuleContent(YamlResource Rule, string Host, TrafficPolicyConfig? Policy, bool Http2, List<(int Index, SubsetConfig Subset)> Subsets);

    private void BuildSubsets()
    {
        var hosts = new List<string>();
        var rules = new Dictionary<string, List<DestinationRuleContent>>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in OldestFirst(YamlKinds.IstioNetworking, "DestinationRule"))
        {
            if (ReadDestinationRule(rule) is not { } content)
            {
                continue;
            }

            if (!rules.TryGetValue(content.Host, out var list))
            {
                rules[content.Host] = list = [];
                hosts.Add(content.Host);
            }

            list.Add(content);
        }

        var targets = new Dictionary<string, List<UpstreamState>>(StringComparer.OrdinalIgnoreCase);
        var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var upstream in _upstreamOrder)
        {
            if (upstream.LocalReplyStatus is null && MostSpecificRuleHost(upstream.Name, hosts, covered) is { } host)
            {
                if (!targets.TryGetValue(host, out var list))
                {
                    targets[host] = list = [];
                }

                list.Add(upstream);
            }
        }

        foreach (var host in hosts)
        {
            foreach (var content in rules[host])
            {
                if (!targets.TryGetValue(host, out var list) && !covered.Contains(host) && !host.StartsWith('*'))
                {
                    targets[host] = list = [RuleOnlyUpstream(content)];
                }

                if (list is not null)
                {
                    ApplyDestinationRule(content, list);
                }
                else
                {
                    _diagnostics.Warning(content.Rule, "spec.host", covered.Contains(host)
                        ? $"every host '{host}' covers has a DestinationRule for a more specific host; the rule has no effect"
                        : $"no ServiceEntry declares '{host}'; the rule has no effect");
                }
            }
        }
    }

    /// <summary>
    /// A rule for a host no ServiceEntry of this YAML declares stands in for it, carrying the rule's subsets and
    /// policy: when another source (the builder, appsettings.json, another YAML source) declares the host, the
    /// declaration takes them (<see cref="GatewayConfigProvider"/>); otherwise the host has no endpoints.
    /// </summary>
    private UpstreamState RuleOnlyUpstream(DestinationRuleContent content)
    {
        _diagnostics.Warning(content.Rule, "spec.host", $"no ServiceEntry declares '{content.Host}': the rule applies when another source (AddUpstream, appsettings.json, another YAML source) declares it");
        var upstream = new UpstreamState { Name = content.Host, Source = $"{content.Rule.Source}: spec.host (unresolved host)", IsPlaceholder = true };
        _upstreams[content.Host] = upstream;
        _upstreamOrder.Add(upstream);
        return upstream;
    }

    private DestinationRuleContent? ReadDestinationRule(YamlResource rule)
    {
        var host = String(rule.Spec, "host");
        if (string.IsNullOrEmpty(host))
        {
            _diagnostics.Error(rule, "spec.host", "required");
            return null;
        }

        var policyNode = Map(rule.Spec, "trafficPolicy");
        var policy = ReadTrafficPolicy(rule, policyNode, "spec.trafficPolicy", topLevel: true);
        var subsets = new List<(int, SubsetConfig)>();
        foreach (var (i, subset) in Maps(rule.Spec, "subsets"))
        {
            var path = Index("spec.subsets", i);
            var name = String(subset, "name");
            var subsetPolicy = ReadTrafficPolicy(rule, Map(subset, "trafficPolicy"), $"{path}.trafficPolicy", topLevel: false);
            if (string.IsNullOrEmpty(name))
            {
                _diagnostics.Error(rule, $"{path}.name", "required");
                continue;
            }

            subsets.Add((i, new SubsetConfig(name, Labels(subset, "labels")) { TrafficPolicy = subsetPolicy }));
        }

        return new DestinationRuleContent(rule, IstioNames.ResolveHost(host, rule.Namespace), policy, policy is not null && UpgradesToHttp2(policyNode), subsets);
    }

    private void ApplyDestinationRule(DestinationRuleContent content, List<UpstreamState> targets)
    {
        var rule = content.Rule;
        foreach (var target in targets)
        {
            if (content.Policy is { } policy)
            {
                if (target.TrafficPolicy is { } first)
                {
                    // Istio keeps the oldest rule's top-level policy when it merges rules for one host.
                    _diagnostics.Warning(rule, "spec.trafficPolicy", $"ignored for '{target.Name}': {first.Source} (older) already sets its top-level trafficPolicy");
                }
                else
                {
                    target.TrafficPolicy = policy;
                    if (content.Http2)
                    {
                        target.Protocol = UpstreamProtocol.Http2;
                    }
                }
            }

            foreach (var (index, subset) in content.Subsets)
            {
                if (target.Subsets.Exists(s => s.Name == subset.Name))
                {
                    _diagnostics.Error(rule, $"{Index("spec.subsets", index)}.name", $"subset '{subset.Name}' of '{target.Name}' is already declared");
                    continue;
                }

                target.Subsets.Add(subset);
            }
        }
    }

    /// <summary>
    /// Istio's most specific host match: the upstream's own name, else the longest wildcard covering it. Every
    /// wildcard that covers the name lands in <paramref name="covered"/> (to explain a rule that applies nowhere).
    /// </summary>
    private static string? MostSpecificRuleHost(string name, List<string> hosts, HashSet<string> covered)
    {
        string? best = null;
        foreach (var host in hosts)
        {
            if (string.Equals(host, name, StringComparison.OrdinalIgnoreCase))
            {
                best = host;
                covered.Add(host);
                continue;
            }

            if (host.StartsWith('*') && HostPattern.TryParse(host, out var pattern, out _) && pattern.Matches(name))
            {
                covered.Add(host);
                if (best is null || (!string.Equals(best, name, StringComparison.OrdinalIgnoreCase) && host.Length > best.Length))
                {
                    best = host;
                }
            }
        }

        return best;
    }
}
