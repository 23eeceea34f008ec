namespace Gateway.Middleware.Configuration;

/// <summary>Applies <see cref="GatewayUpstreamOverrideOptions"/> to the merged upstreams, before validation.</summary>
internal static class UpstreamOverrides
{
    /// <summary>The label redirected endpoints carry: "" for the whole service, <c>subset:name</c> for one subset.</summary>
    internal const string Label = "gateway-middleware.io/redirect";

    private const string ClusterDomain = "." + Yaml.IstioNames.ClusterDomain;
    private const string UnresolvedService = "unresolved:Service ";

    public static void Apply(List<UpstreamConfig> upstreams, IReadOnlyList<UpstreamOverride> overrides, List<string> errors)
    {
        if (overrides.Count == 0)
        {
            return;
        }

        var used = new bool[overrides.Count];
        for (var i = 0; i < upstreams.Count; i++)
        {
            List<UpstreamOverride>? mine = null;
            for (var j = 0; j < overrides.Count; j++)
            {
                if (Names(overrides[j].Upstream, upstreams[i].Name))
                {
                    (mine ??= []).Add(overrides[j]);
                    used[j] = true;
                }
            }

            if (mine is not null)
            {
                upstreams[i] = Redirect(upstreams[i], mine, errors);
            }
        }

        for (var j = 0; j < overrides.Count; j++)
        {
            if (!used[j])
            {
                var names = upstreams.ConvertAll(u => u.Name);
                errors.Add($"upstream override '{overrides[j].Upstream}': no upstream is named '{overrides[j].Upstream}' (upstreams: {(names.Count == 0 ? "none" : string.Join(", ", names))})");
            }
        }
    }

    /// <summary>
    /// Whether an override name names an upstream: the same name, or a Kubernetes short name (<c>reviews</c>,
    /// <c>reviews.default</c>) of a <c>*.svc.cluster.local</c> host or of an unresolved Gateway API Service backend.
    /// </summary>
    internal static bool Names(string name, string upstream)
    {
        if (string.Equals(name, upstream, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var host = upstream;
        if (upstream.StartsWith(UnresolvedService, StringComparison.Ordinal))
        {
            // "unresolved:Service ns/name" (a backendRef no ServiceEntry declares) is Service name in ns.
            var reference = upstream[UnresolvedService.Length..];
            var slash = reference.IndexOf('/', StringComparison.Ordinal);
            host = slash < 0 ? reference : Yaml.IstioNames.ServiceHost(reference[(slash + 1)..], reference[..slash]);
            if (string.Equals(name, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (!host.EndsWith(ClusterDomain, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var serviceAndNamespace = host.AsSpan(0, host.Length - ClusterDomain.Length);
        var dot = serviceAndNamespace.IndexOf('.');
        return serviceAndNamespace.Equals(name, StringComparison.OrdinalIgnoreCase)
            || (dot > 0 && serviceAndNamespace[..dot].Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    private static UpstreamConfig Redirect(UpstreamConfig upstream, List<UpstreamOverride> mine, List<string> errors)
    {
        var wholeService = mine.Exists(o => o.Subset is null);
        var endpoints = wholeService ? [] : new List<EndpointConfig>(upstream.Endpoints);
        var subsets = new List<SubsetConfig>(upstream.Subsets);
        var redirectedSubsets = new HashSet<string>(StringComparer.Ordinal);
        var plainText = true;
        foreach (var redirect in mine)
        {
            plainText &= redirect.Address.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
            if (redirect.Subset is { } subset && !subsets.Exists(s => s.Name == subset))
            {
                var names = subsets.ConvertAll(s => s.Name);
                errors.Add($"upstream override '{redirect.Upstream}' subset '{subset}': upstream '{upstream.Name}' has no subset '{subset}' (subsets: {(names.Count == 0 ? "none" : string.Join(", ", names))})");
                continue;
            }

            var value = redirect.Subset is null ? "" : "subset:" + redirect.Subset;
            endpoints.Add(new EndpointConfig(redirect.Address) { Labels = new Dictionary<string, string> { [Label] = value } });
            if (redirect.Subset is not null)
            {
                redirectedSubsets.Add(redirect.Subset);
            }
        }

        for (var i = 0; i < subsets.Count; i++)
        {
            var subset = subsets[i];
            if (redirectedSubsets.Contains(subset.Name))
            {
                subsets[i] = subset with { Labels = new Dictionary<string, string> { [Label] = "subset:" + subset.Name } };
            }
            else if (wholeService)
            {
                subsets[i] = subset with { Labels = new Dictionary<string, string> { [Label] = "" } };
            }

            if (plainText && subsets[i].TrafficPolicy is { } policy)
            {
                subsets[i] = subsets[i] with { TrafficPolicy = WithoutTls(policy) };
            }
        }

        var redirected = upstream with { Endpoints = endpoints, Subsets = subsets, IsPlaceholder = false, LocalReplyStatus = null };
        return plainText
            ? redirected with { Tls = null, TrafficPolicy = upstream.TrafficPolicy is { } top ? WithoutTls(top) : null }
            : redirected;
    }

    private static TrafficPolicyConfig WithoutTls(TrafficPolicyConfig policy)
    {
        var ports = new List<PortTrafficPolicyConfig>(policy.PortLevelSettings.Count);
        foreach (var port in policy.PortLevelSettings)
        {
            ports.Add(port with { Tls = null });
        }

        return policy with { Tls = null, PortLevelSettings = ports };
    }
}
