namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary>
/// <c>gateway.networking.k8s.io</c> specs from <c>kubernetes-sigs/gateway-api</c> <c>apis/v1/*_types.go</c>
/// (JSON field names), standard channel plus the experimental fields users meet most.
/// </summary>
internal static class GatewayApiSchemas
{
    private static readonly YamlShape ObjectReference = YamlShape.Object(
        ("group", YamlShape.String),
        ("kind", YamlShape.String),
        ("name", YamlShape.String),
        ("namespace", YamlShape.String));

    private static readonly YamlShape Listener = YamlShape.Object(
        ("name", YamlShape.String),
        ("hostname", YamlShape.String),
        ("port", YamlShape.Int),
        ("protocol", YamlShape.String),
        ("tls", YamlShape.Object(
            ("mode", YamlShape.Enum("Terminate", "Passthrough")),
            ("certificateRefs", YamlShape.List(ObjectReference)),
            ("options", YamlShape.StringMap),
            ("frontendValidation", YamlShape.Object(("caCertificateRefs", YamlShape.List(ObjectReference)))))),
        ("allowedRoutes", YamlShape.Object(
            ("namespaces", YamlShape.Object(
                ("from", YamlShape.Enum("All", "Selector", "Same", "None")),
                ("selector", KubernetesSchemas.LabelSelector))),
            ("kinds", YamlShape.List(YamlShape.Object(("group", YamlShape.String), ("kind", YamlShape.String)))))));

    /// <summary><c>Gateway</c>.</summary>
    public static readonly ObjectShape Gateway = YamlShape.Object(
        ("gatewayClassName", YamlShape.String),
        ("listeners", YamlShape.List(Listener)),
        ("addresses", YamlShape.List(YamlShape.Object(("type", YamlShape.String), ("value", YamlShape.String)))),
        ("infrastructure", YamlShape.Object(
            ("labels", YamlShape.StringMap),
            ("annotations", YamlShape.StringMap),
            ("parametersRef", YamlShape.Object(("group", YamlShape.String), ("kind", YamlShape.String), ("name", YamlShape.String))))),
        ("backendTLS", YamlShape.Object(("clientCertificateRef", ObjectReference))),
        ("allowedListeners", YamlShape.Object(("namespaces", YamlShape.Object(
            ("from", YamlShape.Enum("All", "Selector", "Same", "None")),
            ("selector", KubernetesSchemas.LabelSelector))))));

    private static readonly YamlShape HttpHeader = YamlShape.Object(("name", YamlShape.String), ("value", YamlShape.String));

    private static readonly YamlShape HeaderModifier = YamlShape.Object(
        ("set", YamlShape.List(HttpHeader)),
        ("add", YamlShape.List(HttpHeader)),
        ("remove", YamlShape.StringList));

    private static readonly YamlShape PathModifier = YamlShape.Object(
        ("type", YamlShape.Enum("ReplaceFullPath", "ReplacePrefixMatch")),
        ("replaceFullPath", YamlShape.String),
        ("replacePrefixMatch", YamlShape.String));

    private static readonly YamlShape BackendObjectReference = YamlShape.Object(
        ("group", YamlShape.String),
        ("kind", YamlShape.String),
        ("name", YamlShape.String),
        ("namespace", YamlShape.String),
        ("port", YamlShape.Int));

    private static readonly YamlShape Filter = YamlShape.Object(
        ("type", YamlShape.Enum("RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite", "ExtensionRef", "CORS")),
        ("requestHeaderModifier", HeaderModifier),
        ("responseHeaderModifier", HeaderModifier),
        ("requestMirror", YamlShape.Object(
            ("backendRef", BackendObjectReference),
            ("percent", YamlShape.Int),
            ("fraction", YamlShape.Object(("numerator", YamlShape.Int), ("denominator", YamlShape.Int))))),
        ("requestRedirect", YamlShape.Object(
            ("scheme", YamlShape.Enum("http", "https")),
            ("hostname", YamlShape.String),
            ("path", PathModifier),
            ("port", YamlShape.Int),
            ("statusCode", YamlShape.Int))),
        ("urlRewrite", YamlShape.Object(("hostname", YamlShape.String), ("path", PathModifier))),
        ("extensionRef", YamlShape.Object(("group", YamlShape.String), ("kind", YamlShape.String), ("name", YamlShape.String))),
        ("cors", YamlShape.Object(
            ("allowOrigins", YamlShape.StringList),
            ("allowCredentials", YamlShape.Bool),
            ("allowMethods", YamlShape.StringList),
            ("allowHeaders", YamlShape.StringList),
            ("exposeHeaders", YamlShape.StringList),
            ("maxAge", YamlShape.Int))));

    private static readonly YamlShape NamedMatch = YamlShape.Object(
        ("type", YamlShape.Enum("Exact", "RegularExpression")),
        ("name", YamlShape.String),
        ("value", YamlShape.String));

    private static readonly YamlShape RouteMatch = YamlShape.Object(
        ("path", YamlShape.Object(("type", YamlShape.Enum("Exact", "PathPrefix", "RegularExpression")), ("value", YamlShape.String))),
        ("headers", YamlShape.List(NamedMatch)),
        ("queryParams", YamlShape.List(NamedMatch)),
        ("method", YamlShape.Enum("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")));

    private static readonly YamlShape Rule = YamlShape.Object(
        ("name", YamlShape.String),
        ("matches", YamlShape.List(RouteMatch)),
        ("filters", YamlShape.List(Filter)),
        ("backendRefs", YamlShape.List(YamlShape.Object(
            ("group", YamlShape.String),
            ("kind", YamlShape.String),
            ("name", YamlShape.String),
            ("namespace", YamlShape.String),
            ("port", YamlShape.Int),
            ("weight", YamlShape.Int),
            ("filters", YamlShape.List(Filter))))),
        ("timeouts", YamlShape.Object(("request", YamlShape.GatewayApiDuration), ("backendRequest", YamlShape.GatewayApiDuration))),
        ("retry", YamlShape.Object(
            ("codes", YamlShape.List(YamlShape.Int)),
            ("attempts", YamlShape.Int),
            ("backoff", YamlShape.GatewayApiDuration))),
        ("sessionPersistence", YamlShape.Any));

    /// <summary><c>HTTPRoute</c>.</summary>
    public static readonly ObjectShape HttpRoute = YamlShape.Object(
        ("parentRefs", YamlShape.List(YamlShape.Object(
            ("group", YamlShape.String),
            ("kind", YamlShape.String),
            ("namespace", YamlShape.String),
            ("name", YamlShape.String),
            ("sectionName", YamlShape.String),
            ("port", YamlShape.Int)))),
        ("hostnames", YamlShape.StringList),
        ("rules", YamlShape.List(Rule)));

    /// <summary><c>ReferenceGrant</c> (v1beta1): lets routes in other namespaces reference Services here.</summary>
    public static readonly ObjectShape ReferenceGrant = YamlShape.Object(
        ("from", YamlShape.List(YamlShape.Object(("group", YamlShape.String), ("kind", YamlShape.String), ("namespace", YamlShape.String)))),
        ("to", YamlShape.List(YamlShape.Object(("group", YamlShape.String), ("kind", YamlShape.String), ("name", YamlShape.String)))));
}
