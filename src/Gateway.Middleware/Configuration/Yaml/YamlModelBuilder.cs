namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Maps the resources of a load onto the gateway model. One partial file per kind (ServiceEntry,
/// DestinationRule, Gateway, VirtualService, HTTPRoute, ...) so each feature adds its mapping in its own file.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private readonly List<YamlResource> _resources;
    private readonly YamlDiagnostics _diagnostics;
    private readonly List<ServerConfig> _servers = [];
    private readonly List<RouteConfig> _routes = [];

    public YamlModelBuilder(List<YamlResource> resources, YamlDiagnostics diagnostics)
    {
        _resources = resources;
        _diagnostics = diagnostics;
    }

    /// <summary>The folder relative file paths resolve against; null: the folder of the resource's file name.</summary>
    public string? BaseDirectory { get; init; }

    public GatewayConfig Build()
    {
        BuildUpstreams();
        BuildSubsets();
        BuildIstioGateways();
        BuildGatewayApiGateways();
        BuildVirtualServices();
        BuildHttpRoutes();
        return new GatewayConfig([.. _routes], UpstreamList()) { Servers = [.. _servers], JwtRules = BuildJwtRules(), AuthorizationPolicies = BuildAuthorizationPolicies() };
    }

    private IEnumerable<YamlResource> OfKind(string group, string kind)
    {
        foreach (var resource in _resources)
        {
            if (YamlKinds.Is(resource, group, kind))
            {
                yield return resource;
            }
        }
    }

    /// <summary>Resources of a kind, oldest first (creation timestamp, then load order).</summary>
    private List<YamlResource> OldestFirst(string group, string kind)
    {
        var list = new List<YamlResource>(OfKind(group, kind));
        list.Sort(static (a, b) => a.CreationOrder.CompareTo(b.CreationOrder));
        return list;
    }

    /// <summary>
    /// A certificate or key file named in the YAML (Gateway <c>tls</c>, DestinationRule <c>tls</c>): absolute paths
    /// stay, relative ones resolve against <see cref="BaseDirectory"/>, else the folder of the resource's file.
    /// </summary>
    private string? FilePath(YamlResource resource, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var folder = BaseDirectory ?? Path.GetDirectoryName(Path.GetFullPath(resource.File))!;
        return Path.GetFullPath(Path.Combine(folder, value));
    }

    private static string Index(string path, int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}[{index}]");
}
