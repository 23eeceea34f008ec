namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary>
/// <c>networking.istio.io</c> specs, transcribed from <c>istio/api</c> <c>networking/v1alpha3/*.proto</c>
/// (v1 and v1beta1 serve the same messages), field names in their JSON (camelCase) form.
/// </summary>
internal static class IstioNetworkingSchemas
{
    private static readonly YamlShape StringMatch = IstioCommonShapes.StringMatch;

    private static readonly YamlShape PortSelector = IstioCommonShapes.PortSelector;

    private static readonly YamlShape Percent = IstioCommonShapes.Percent;

    private static readonly YamlShape Destination = YamlShape.Object(("host", YamlShape.String), ("subset", YamlShape.String), ("port", PortSelector));

    private static readonly YamlShape HeaderOperations = YamlShape.Object(("set", YamlShape.StringMap), ("add", YamlShape.StringMap), ("remove", YamlShape.StringList));

    private static readonly YamlShape Headers = YamlShape.Object(("request", HeaderOperations), ("response", HeaderOperations));

    private static readonly YamlShape HttpMatchRequest = YamlShape.Object(
        ("name", YamlShape.String),
        ("uri", StringMatch),
        ("scheme", StringMatch),
        ("method", StringMatch),
        ("authority", StringMatch),
        ("headers", YamlShape.MapOf(StringMatch)),
        ("port", YamlShape.Int),
        ("sourceLabels", YamlShape.StringMap),
        ("gateways", YamlShape.StringList),
        ("queryParams", YamlShape.MapOf(StringMatch)),
        ("ignoreUriCase", YamlShape.Bool),
        ("withoutHeaders", YamlShape.MapOf(StringMatch)),
        ("sourceNamespace", YamlShape.String),
        ("statPrefix", YamlShape.String));

    private static readonly YamlShape HttpRoute = YamlShape.Object(
        ("name", YamlShape.String),
        ("match", YamlShape.List(HttpMatchRequest)),
        ("route", YamlShape.List(YamlShape.Object(("destination", Destination), ("weight", YamlShape.Int), ("headers", Headers)))),
        ("redirect", YamlShape.Object(
            ("uri", YamlShape.String),
            ("authority", YamlShape.String),
            ("port", YamlShape.Int),
            ("derivePort", YamlShape.Enum("FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT")),
            ("scheme", YamlShape.String),
            ("redirectCode", YamlShape.Int))),
        ("directResponse", YamlShape.Object(
            ("status", YamlShape.Int),
            ("body", YamlShape.Object(("string", YamlShape.String), ("bytes", YamlShape.String))))),
        ("delegate", YamlShape.Object(("name", YamlShape.String), ("namespace", YamlShape.String))),
        ("rewrite", YamlShape.Object(
            ("uri", YamlShape.String),
            ("authority", YamlShape.String),
            ("uriRegexRewrite", YamlShape.Object(("match", YamlShape.String), ("rewrite", YamlShape.String))))),
        ("timeout", YamlShape.IstioDuration),
        ("retries", YamlShape.Object(
            ("attempts", YamlShape.Int),
            ("perTryTimeout", YamlShape.IstioDuration),
            ("retryOn", YamlShape.String),
            ("retryRemoteLocalities", YamlShape.Bool),
            ("retryIgnorePreviousHosts", YamlShape.Bool),
            ("backoff", YamlShape.IstioDuration))),
        ("fault", YamlShape.Object(
            ("delay", YamlShape.Object(
                ("fixedDelay", YamlShape.IstioDuration),
                ("exponentialDelay", YamlShape.IstioDuration),
                ("percentage", Percent),
                ("percent", YamlShape.Int))),
            ("abort", YamlShape.Object(
                ("httpStatus", YamlShape.Int),
                ("grpcStatus", YamlShape.String),
                ("http2Error", YamlShape.String),
                ("percentage", Percent))))),
        ("mirror", Destination),
        ("mirrors", YamlShape.List(YamlShape.Object(("destination", Destination), ("percentage", Percent)))),
        ("mirrorPercent", YamlShape.Int),
        ("mirrorPercentage", Percent),
        ("corsPolicy", YamlShape.Object(
            ("allowOrigin", YamlShape.StringList),
            ("allowOrigins", YamlShape.List(StringMatch)),
            ("allowMethods", YamlShape.StringList),
            ("allowHeaders", YamlShape.StringList),
            ("exposeHeaders", YamlShape.StringList),
            ("maxAge", YamlShape.IstioDuration),
            ("allowCredentials", YamlShape.Bool),
            ("unmatchedPreflights", YamlShape.Enum("UNSPECIFIED", "FORWARD", "IGNORE")))),
        ("headers", Headers));

    private static readonly YamlShape L4Match = YamlShape.Object(
        ("destinationSubnets", YamlShape.StringList),
        ("port", YamlShape.Int),
        ("sourceLabels", YamlShape.StringMap),
        ("gateways", YamlShape.StringList),
        ("sourceNamespace", YamlShape.String),
        ("sniHosts", YamlShape.StringList));

    private static readonly YamlShape RouteDestination = YamlShape.List(YamlShape.Object(("destination", Destination), ("weight", YamlShape.Int)));

    /// <summary><c>VirtualService</c>; <c>tls</c> and <c>tcp</c> routes are checked but not served (HTTP only).</summary>
    public static readonly ObjectShape VirtualService = YamlShape.Object(
        ("hosts", YamlShape.StringList),
        ("gateways", YamlShape.StringList),
        ("http", YamlShape.List(HttpRoute)),
        ("tls", YamlShape.List(YamlShape.Object(("match", YamlShape.List(L4Match)), ("route", RouteDestination)))),
        ("tcp", YamlShape.List(YamlShape.Object(("match", YamlShape.List(L4Match)), ("route", RouteDestination)))),
        ("exportTo", YamlShape.StringList));

    private static readonly YamlShape ServerTls = YamlShape.Object(
        ("httpsRedirect", YamlShape.Bool),
        ("mode", YamlShape.Enum("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL")),
        ("serverCertificate", YamlShape.String),
        ("privateKey", YamlShape.String),
        ("caCertificates", YamlShape.String),
        ("caCrl", YamlShape.String),
        ("credentialName", YamlShape.String),
        ("credentialNames", YamlShape.StringList),
        ("tlsCertificates", YamlShape.List(YamlShape.Object(("serverCertificate", YamlShape.String), ("privateKey", YamlShape.String), ("caCertificates", YamlShape.String)))),
        ("subjectAltNames", YamlShape.StringList),
        ("verifyCertificateSpki", YamlShape.StringList),
        ("verifyCertificateHash", YamlShape.StringList),
        ("minProtocolVersion", YamlShape.Enum("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3")),
        ("maxProtocolVersion", YamlShape.Enum("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3")),
        ("cipherSuites", YamlShape.StringList));

    /// <summary><c>Gateway</c>.</summary>
    public static readonly ObjectShape Gateway = YamlShape.Object(
        ("selector", YamlShape.StringMap),
        ("servers", YamlShape.List(YamlShape.Object(
            ("port", YamlShape.Object(("number", YamlShape.Int), ("protocol", YamlShape.String), ("name", YamlShape.String), ("targetPort", YamlShape.Int))),
            ("bind", YamlShape.String),
            ("hosts", YamlShape.StringList),
            ("tls", ServerTls),
            ("defaultEndpoint", YamlShape.String),
            ("name", YamlShape.String)))));

    private static readonly YamlShape WorkloadEntrySpec = YamlShape.Object(
        ("address", YamlShape.String),
        ("ports", YamlShape.MapOf(YamlShape.Int)),
        ("labels", YamlShape.StringMap),
        ("network", YamlShape.String),
        ("locality", YamlShape.String),
        ("weight", YamlShape.Int),
        ("serviceAccount", YamlShape.String));

    /// <summary><c>WorkloadEntry</c>.</summary>
    public static readonly ObjectShape WorkloadEntry = (ObjectShape)WorkloadEntrySpec;

    /// <summary><c>DestinationRule</c>.</summary>
    public static readonly ObjectShape DestinationRule = DestinationRuleSchema.DestinationRule;

    /// <summary><c>ServiceEntry</c>.</summary>
    public static readonly ObjectShape ServiceEntry = YamlShape.Object(
        ("hosts", YamlShape.StringList),
        ("addresses", YamlShape.StringList),
        ("ports", YamlShape.List(YamlShape.Object(("number", YamlShape.Int), ("protocol", YamlShape.String), ("name", YamlShape.String), ("targetPort", YamlShape.Int)))),
        ("location", YamlShape.Enum("MESH_EXTERNAL", "MESH_INTERNAL")),
        ("resolution", YamlShape.Enum("NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS")),
        ("endpoints", YamlShape.List(WorkloadEntrySpec)),
        ("workloadSelector", YamlShape.Object(("labels", YamlShape.StringMap))),
        ("exportTo", YamlShape.StringList),
        ("subjectAltNames", YamlShape.StringList));
}
