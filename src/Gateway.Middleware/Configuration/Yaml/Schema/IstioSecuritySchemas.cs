namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary>
/// <c>security.istio.io</c> specs from <c>istio/api</c> <c>security/v1beta1/*.proto</c>: checked strictly now,
/// mapped to JWT rules and policies by issue 5.
/// </summary>
internal static class IstioSecuritySchemas
{
    private static readonly YamlShape WorkloadSelector = YamlShape.Object(("matchLabels", YamlShape.StringMap));

    private static readonly YamlShape PolicyTargetReference = YamlShape.Object(
        ("group", YamlShape.String),
        ("kind", YamlShape.String),
        ("name", YamlShape.String),
        ("namespace", YamlShape.String));

    /// <summary><c>RequestAuthentication</c>.</summary>
    public static readonly ObjectShape RequestAuthentication = YamlShape.Object(
        ("selector", WorkloadSelector),
        ("targetRef", PolicyTargetReference),
        ("targetRefs", YamlShape.List(PolicyTargetReference)),
        ("jwtRules", YamlShape.List(YamlShape.Object(
            ("issuer", YamlShape.String),
            ("audiences", YamlShape.StringList),
            ("jwksUri", YamlShape.String),
            ("jwks", YamlShape.String),
            ("fromHeaders", YamlShape.List(YamlShape.Object(("name", YamlShape.String), ("prefix", YamlShape.String)))),
            ("fromParams", YamlShape.StringList),
            ("fromCookies", YamlShape.StringList),
            ("outputPayloadToHeader", YamlShape.String),
            ("forwardOriginalToken", YamlShape.Bool),
            ("outputClaimToHeaders", YamlShape.List(YamlShape.Object(("header", YamlShape.String), ("claim", YamlShape.String)))),
            ("timeout", YamlShape.IstioDuration)))));

    private static readonly YamlShape Source = YamlShape.Object(
        ("principals", YamlShape.StringList),
        ("notPrincipals", YamlShape.StringList),
        ("requestPrincipals", YamlShape.StringList),
        ("notRequestPrincipals", YamlShape.StringList),
        ("namespaces", YamlShape.StringList),
        ("notNamespaces", YamlShape.StringList),
        ("ipBlocks", YamlShape.StringList),
        ("notIpBlocks", YamlShape.StringList),
        ("remoteIpBlocks", YamlShape.StringList),
        ("notRemoteIpBlocks", YamlShape.StringList),
        ("serviceAccounts", YamlShape.StringList),
        ("notServiceAccounts", YamlShape.StringList));

    private static readonly YamlShape Operation = YamlShape.Object(
        ("hosts", YamlShape.StringList),
        ("notHosts", YamlShape.StringList),
        ("ports", YamlShape.StringList),
        ("notPorts", YamlShape.StringList),
        ("methods", YamlShape.StringList),
        ("notMethods", YamlShape.StringList),
        ("paths", YamlShape.StringList),
        ("notPaths", YamlShape.StringList));

    /// <summary><c>AuthorizationPolicy</c>.</summary>
    public static readonly ObjectShape AuthorizationPolicy = YamlShape.Object(
        ("selector", WorkloadSelector),
        ("targetRef", PolicyTargetReference),
        ("targetRefs", YamlShape.List(PolicyTargetReference)),
        ("rules", YamlShape.List(YamlShape.Object(
            ("from", YamlShape.List(YamlShape.Object(("source", Source)))),
            ("to", YamlShape.List(YamlShape.Object(("operation", Operation)))),
            ("when", YamlShape.List(YamlShape.Object(("key", YamlShape.String), ("values", YamlShape.StringList), ("notValues", YamlShape.StringList))))))),
        ("action", YamlShape.Enum("ALLOW", "DENY", "AUDIT", "CUSTOM")),
        ("provider", YamlShape.Object(("name", YamlShape.String))));
}
