namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary><c>DestinationRule</c> and its <c>TrafficPolicy</c> (checked strictly now, mapped by issue 6).</summary>
internal static class DestinationRuleSchema
{
    private static readonly YamlShape PortSelector = IstioCommonShapes.PortSelector;

    private static readonly YamlShape Percent = IstioCommonShapes.Percent;

    private static readonly YamlShape LoadBalancer = YamlShape.Object(
        ("simple", YamlShape.Enum("UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST")),
        ("consistentHash", YamlShape.Object(
            ("httpHeaderName", YamlShape.String),
            ("httpCookie", YamlShape.Object(
                ("name", YamlShape.String),
                ("path", YamlShape.String),
                ("ttl", YamlShape.IstioDuration),
                ("attributes", YamlShape.List(YamlShape.Object(("name", YamlShape.String), ("value", YamlShape.String)))))),
            ("useSourceIp", YamlShape.Bool),
            ("httpQueryParameterName", YamlShape.String),
            ("ringHash", YamlShape.Object(("minimumRingSize", YamlShape.Int))),
            ("maglev", YamlShape.Object(("tableSize", YamlShape.Int))),
            ("minimumRingSize", YamlShape.Int))),
        ("localityLbSetting", YamlShape.Object(
            ("distribute", YamlShape.List(YamlShape.Object(("from", YamlShape.String), ("to", YamlShape.MapOf(YamlShape.Int))))),
            ("failover", YamlShape.List(YamlShape.Object(("from", YamlShape.String), ("to", YamlShape.String)))),
            ("failoverPriority", YamlShape.StringList),
            ("enabled", YamlShape.Bool))),
        ("warmupDurationSecs", YamlShape.IstioDuration),
        ("warmup", YamlShape.Object(("duration", YamlShape.IstioDuration), ("minimumPercent", YamlShape.Number), ("aggression", YamlShape.Number))));

    private static readonly YamlShape ConnectionPool = YamlShape.Object(
        ("tcp", YamlShape.Object(
            ("maxConnections", YamlShape.Int),
            ("connectTimeout", YamlShape.IstioDuration),
            ("tcpKeepalive", YamlShape.Object(("probes", YamlShape.Int), ("time", YamlShape.IstioDuration), ("interval", YamlShape.IstioDuration))),
            ("maxConnectionDuration", YamlShape.IstioDuration),
            ("idleTimeout", YamlShape.IstioDuration))),
        ("http", YamlShape.Object(
            ("http1MaxPendingRequests", YamlShape.Int),
            ("http2MaxRequests", YamlShape.Int),
            ("maxRequestsPerConnection", YamlShape.Int),
            ("maxRetries", YamlShape.Int),
            ("idleTimeout", YamlShape.IstioDuration),
            ("h2UpgradePolicy", YamlShape.Enum("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE")),
            ("useClientProtocol", YamlShape.Bool),
            ("maxConcurrentStreams", YamlShape.Int))));

    private static readonly YamlShape OutlierDetection = YamlShape.Object(
        ("splitExternalLocalOriginErrors", YamlShape.Bool),
        ("consecutiveLocalOriginFailures", YamlShape.Int),
        ("consecutiveGatewayErrors", YamlShape.Int),
        ("consecutive5xxErrors", YamlShape.Int),
        ("consecutiveErrors", YamlShape.Int),
        ("interval", YamlShape.IstioDuration),
        ("baseEjectionTime", YamlShape.IstioDuration),
        ("maxEjectionPercent", YamlShape.Int),
        ("minHealthPercent", YamlShape.Int));

    private static readonly YamlShape ClientTls = YamlShape.Object(
        ("mode", YamlShape.Enum("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL")),
        ("clientCertificate", YamlShape.String),
        ("privateKey", YamlShape.String),
        ("caCertificates", YamlShape.String),
        ("credentialName", YamlShape.String),
        ("subjectAltNames", YamlShape.StringList),
        ("sni", YamlShape.String),
        ("insecureSkipVerify", YamlShape.Bool),
        ("caCrl", YamlShape.String));

    private static readonly ObjectShape PolicyFields = YamlShape.Object(
        ("loadBalancer", LoadBalancer),
        ("connectionPool", ConnectionPool),
        ("outlierDetection", OutlierDetection),
        ("tls", ClientTls));

    /// <summary><c>TrafficPolicy</c>: checked strictly, mapped by issue 6.</summary>
    private static readonly YamlShape TrafficPolicy = PolicyFields.With(
        ("portLevelSettings", YamlShape.List(PolicyFields.With(("port", PortSelector)))),
        ("tunnel", YamlShape.Object(("protocol", YamlShape.String), ("targetHost", YamlShape.String), ("targetPort", YamlShape.Int))),
        ("proxyProtocol", YamlShape.Object(("version", YamlShape.Enum("V1", "V2")))),
        ("retryBudget", YamlShape.Object(("percent", Percent), ("minRetryConcurrency", YamlShape.Int))));

    /// <summary><c>DestinationRule</c>.</summary>
    public static readonly ObjectShape DestinationRule = YamlShape.Object(
        ("host", YamlShape.String),
        ("trafficPolicy", TrafficPolicy),
        ("subsets", YamlShape.List(YamlShape.Object(("name", YamlShape.String), ("labels", YamlShape.StringMap), ("trafficPolicy", TrafficPolicy)))),
        ("exportTo", YamlShape.StringList),
        ("workloadSelector", YamlShape.Object(("matchLabels", YamlShape.StringMap))));
}
