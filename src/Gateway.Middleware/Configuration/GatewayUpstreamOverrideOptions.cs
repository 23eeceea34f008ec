namespace Gateway.Middleware.Configuration;

/// <summary>
/// Points named upstreams somewhere else without touching the routes that use them: the hook tests (and the
/// <c>Gateway.Middleware.Testing</c> kit) use to send a gateway's traffic to fake services. Applied to the merged
/// configuration (builder, appsettings.json and YAML) before it is validated, at start and at every reload.
/// Empty by default: nothing is redirected.
/// </summary>
/// <remarks>
/// <para>
/// An upstream is named as its routes name it: an <c>AddUpstream</c> name, a ServiceEntry host, or an Istio
/// destination host no ServiceEntry declares (which would otherwise answer 503). A short Kubernetes name
/// (<c>reviews</c>, no dot) also names <c>reviews.&lt;namespace&gt;.svc.cluster.local</c> in every namespace, and
/// the Gateway API Service backends that would otherwise answer 500.
/// </para>
/// <para>
/// Redirecting a service replaces all of its endpoints and every subset selects the new address(es) (subsets
/// redirected on their own excepted). Redirecting a subset adds an endpoint only that subset selects; the
/// service's other endpoints stay. Several redirects of the same service or subset are load-balanced.
/// When every address redirected for an upstream is <c>http://</c> the gateway speaks plain text to it (its
/// DestinationRule TLS settings are dropped); otherwise its TLS settings apply as configured. Its protocol
/// (HTTP/1.1 or HTTP/2) and traffic policy stay as configured. A redirect naming an upstream or subset the
/// configuration does not have is a configuration error.
/// </para>
/// </remarks>
/// <example><code>
/// services.Configure&lt;GatewayUpstreamOverrideOptions&gt;(o => o.Redirect("reviews", "http://127.0.0.1:5005"));
/// </code></example>
public sealed class GatewayUpstreamOverrideOptions
{
    private readonly List<UpstreamOverride> _overrides = [];

    /// <summary>Sends every request for <paramref name="upstream"/> (all of its subsets) to <paramref name="address"/>.</summary>
    /// <param name="upstream">The upstream (service host) name.</param>
    /// <param name="address"><c>http://host:port</c> or <c>https://host:port</c>.</param>
    /// <returns>These options.</returns>
    public GatewayUpstreamOverrideOptions Redirect(string upstream, string address) => Add(upstream, null, address);

    /// <summary>Sends requests for subset <paramref name="subset"/> of <paramref name="upstream"/> to <paramref name="address"/>.</summary>
    /// <param name="upstream">The upstream (service host) name.</param>
    /// <param name="subset">A DestinationRule subset name the upstream has.</param>
    /// <param name="address"><c>http://host:port</c> or <c>https://host:port</c>.</param>
    /// <returns>These options.</returns>
    public GatewayUpstreamOverrideOptions Redirect(string upstream, string subset, string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(subset);
        return Add(upstream, subset, address);
    }

    internal IReadOnlyList<UpstreamOverride> Overrides => _overrides;

    private GatewayUpstreamOverrideOptions Add(string upstream, string? subset, string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstream);
        ArgumentException.ThrowIfNullOrEmpty(address);
        lock (_overrides)
        {
            _overrides.Add(new UpstreamOverride(upstream, subset, address));
        }

        return this;
    }
}
