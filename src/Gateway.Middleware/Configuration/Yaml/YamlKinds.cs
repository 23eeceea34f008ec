using Gateway.Middleware.Configuration.Yaml.Schema;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>The kinds the loader reads: group, the versions served, and the shape of their <c>spec</c>.</summary>
internal static class YamlKinds
{
    public const string IstioNetworking = "networking.istio.io";
    public const string IstioSecurity = "security.istio.io";
    public const string GatewayApi = "gateway.networking.k8s.io";

    private static readonly string[] IstioNetworkingVersions = ["v1", "v1beta1", "v1alpha3"];
    private static readonly string[] IstioSecurityVersions = ["v1", "v1beta1"];
    private static readonly string[] GatewayApiVersions = ["v1", "v1beta1"];

    private static readonly Dictionary<(string Group, string Kind), (string[] Versions, ObjectShape Spec)> Known = new()
    {
        [(IstioNetworking, "Gateway")] = (IstioNetworkingVersions, IstioNetworkingSchemas.Gateway),
        [(IstioNetworking, "VirtualService")] = (IstioNetworkingVersions, IstioNetworkingSchemas.VirtualService),
        [(IstioNetworking, "DestinationRule")] = (IstioNetworkingVersions, IstioNetworkingSchemas.DestinationRule),
        [(IstioNetworking, "ServiceEntry")] = (IstioNetworkingVersions, IstioNetworkingSchemas.ServiceEntry),
        [(IstioNetworking, "WorkloadEntry")] = (IstioNetworkingVersions, IstioNetworkingSchemas.WorkloadEntry),
        [(IstioSecurity, "RequestAuthentication")] = (IstioSecurityVersions, IstioSecuritySchemas.RequestAuthentication),
        [(IstioSecurity, "AuthorizationPolicy")] = (IstioSecurityVersions, IstioSecuritySchemas.AuthorizationPolicy),
        [(GatewayApi, "Gateway")] = (GatewayApiVersions, GatewayApiSchemas.Gateway),
        [(GatewayApi, "HTTPRoute")] = (GatewayApiVersions, GatewayApiSchemas.HttpRoute),
        [(GatewayApi, "ReferenceGrant")] = (GatewayApiVersions, GatewayApiSchemas.ReferenceGrant),
    };

    /// <summary>The shape of the spec of <paramref name="kind"/> at <paramref name="version"/>, or <see langword="null"/> when the loader does not read it.</summary>
    public static ObjectShape? Find(string group, string version, string kind)
        => Known.TryGetValue((group, kind), out var known) && Array.IndexOf(known.Versions, version) >= 0 ? known.Spec : null;

    public static bool Is(YamlResource resource, string group, string kind) => resource.Group == group && resource.Kind == kind;
}
