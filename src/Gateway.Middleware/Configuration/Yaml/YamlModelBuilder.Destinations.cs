namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Destinations that name nothing the configuration declares. Istio accepts them and Envoy answers 503 at
/// run time; the Gateway API answers 500 for an unresolvable backendRef. Both become synthetic upstreams so
/// the model stays valid and the request gets the answer a user of Istio would get.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    /// <summary>Label only synthetic subsets require: no endpoint carries it, so the subset is empty (503).</summary>
    internal const string UnresolvedSubsetLabel = "gateway-middleware.io/unresolved-subset";

    /// <summary>
    /// Resolves an Istio destination host; an unknown host gets an upstream without endpoints (503 <c>no
    /// healthy upstream</c>) and an unknown subset an empty subset, each with a warning (istioctl's IST0101).
    /// </summary>
    private string ResolveIstioDestination(YamlResource resource, string path, string host, string? subset)
    {
        if (!_upstreams.TryGetValue(host, out var upstream))
        {
            _diagnostics.Warning(resource, $"{path}.host", $"no ServiceEntry declares '{host}': requests get 503 no healthy upstream");
            upstream = new UpstreamState { Name = host, Source = $"{resource.Source}: {path} (unresolved host)", IsPlaceholder = true };
            _upstreams[host] = upstream;
            _upstreamOrder.Add(upstream);
        }

        if (subset is not null && !upstream.Subsets.Exists(s => s.Name == subset))
        {
            _diagnostics.Warning(resource, $"{path}.subset", $"no DestinationRule declares subset '{subset}' of '{host}': requests get 503 no healthy upstream");
            upstream.Subsets.Add(new SubsetConfig(subset, new Dictionary<string, string> { [UnresolvedSubsetLabel] = subset }));
        }

        return upstream.Name;
    }

    /// <summary>The upstream that answers 500 for a Gateway API backend (or filter) that cannot be resolved.</summary>
    private string UnresolvedBackend(string name)
    {
        var key = $"unresolved:{name}";
        if (!_upstreams.ContainsKey(key))
        {
            var upstream = new UpstreamState { Name = key, Source = $"unresolved backend '{name}'", LocalReplyStatus = 500 };
            _upstreams[key] = upstream;
            _upstreamOrder.Add(upstream);
        }

        return key;
    }
}
