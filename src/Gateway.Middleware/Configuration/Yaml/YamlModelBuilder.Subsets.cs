using Gateway.Middleware.Hosts;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// DestinationRule → subsets of the upstream whose name is the rule's host (short names resolved in the
/// rule's namespace); a wildcard host applies to every upstream it covers. <c>trafficPolicy</c> is checked
/// against its schema and left to issue 6.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private void BuildSubsets()
    {
        foreach (var rule in OldestFirst(YamlKinds.IstioNetworking, "DestinationRule"))
        {
            var host = String(rule.Spec, "host");
            if (string.IsNullOrEmpty(host))
            {
                _diagnostics.Error(rule, "spec.host", "required");
                continue;
            }

            host = IstioNames.ResolveHost(host, rule.Namespace);
            var targets = new List<UpstreamState>();
            if (_upstreams.TryGetValue(host, out var exact))
            {
                targets.Add(exact);
            }
            else if (host.StartsWith('*') && HostPattern.TryParse(host, out var pattern, out _))
            {
                foreach (var upstream in _upstreamOrder)
                {
                    if (upstream.LocalReplyStatus is null && pattern.Matches(upstream.Name))
                    {
                        targets.Add(upstream);
                    }
                }
            }

            if (targets.Count == 0)
            {
                _diagnostics.Warning(rule, "spec.host", $"no ServiceEntry declares '{host}'; the rule has no effect");
                continue;
            }

            foreach (var (i, subset) in Maps(rule.Spec, "subsets"))
            {
                var path = Index("spec.subsets", i);
                var name = String(subset, "name");
                if (string.IsNullOrEmpty(name))
                {
                    _diagnostics.Error(rule, $"{path}.name", "required");
                    continue;
                }

                foreach (var target in targets)
                {
                    if (target.Subsets.Exists(s => s.Name == name))
                    {
                        _diagnostics.Error(rule, $"{path}.name", $"subset '{name}' of '{target.Name}' is already declared");
                        continue;
                    }

                    target.Subsets.Add(new SubsetConfig(name, Labels(subset, "labels")));
                }
            }
        }
    }
}
