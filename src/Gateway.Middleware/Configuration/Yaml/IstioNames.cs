namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>Istio's and the Gateway API's name rules.</summary>
internal static class IstioNames
{
    public const string ClusterDomain = "svc.cluster.local";

    /// <summary>
    /// Istio <c>ResolveShortnameToFQDN</c>: a host without a dot (and not <c>*</c>) is a Kubernetes service in
    /// the resource's namespace: <c>reviews</c> in <c>default</c> is <c>reviews.default.svc.cluster.local</c>.
    /// </summary>
    public static string ResolveHost(string host, string ns)
        => host.Length == 0 || host == "*" || host.Contains('.', StringComparison.Ordinal) || host.Contains(':', StringComparison.Ordinal)
            ? host
            : $"{host}.{ns}.{ClusterDomain}";

    /// <summary>The ServiceEntry host a Gateway API backendRef to Service <paramref name="name"/> in <paramref name="ns"/> resolves to.</summary>
    public static string ServiceHost(string name, string ns) => $"{name}.{ns}.{ClusterDomain}";

    /// <summary>A <c>gateways:</c> entry: <c>name</c> (in the VirtualService's namespace) or <c>ns/name</c>, as <c>ns/name</c>.</summary>
    public static string ResolveGateway(string reference, string ns)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? $"{ns}/{reference}" : reference;
    }

    /// <summary>
    /// Istio <c>Gateway.servers[].hosts</c> may say which namespaces' VirtualServices may bind: <c>ns/host</c>,
    /// <c>./host</c> (the Gateway's namespace) or <c>*/host</c>. Returns the host and that namespace (null: any).
    /// </summary>
    public static (string Host, string? Namespace) SplitServerHost(string text, string gatewayNamespace)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return (text, null);
        }

        var ns = text[..slash];
        return (text[(slash + 1)..], ns switch
        {
            "*" => null,
            "." => gatewayNamespace,
            _ => ns,
        });
    }
}
