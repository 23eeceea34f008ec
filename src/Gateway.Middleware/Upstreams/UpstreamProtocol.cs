namespace Gateway.Middleware.Upstreams;

/// <summary>The HTTP version the gateway speaks to an upstream.</summary>
public enum UpstreamProtocol
{
    /// <summary>HTTP/1.1 (Istio's default for <c>http</c> ports). The default.</summary>
    Http1 = 0,

    /// <summary>
    /// HTTP/2 only: h2c with prior knowledge on <c>http://</c> endpoints, h2 on <c>https://</c> endpoints
    /// (Istio <c>h2UpgradePolicy: UPGRADE</c>, or ports named <c>http2</c>/<c>grpc</c>).
    /// </summary>
    Http2 = 1,

    /// <summary>HTTP/2 when TLS ALPN negotiates it, else HTTP/1.1; plain-text endpoints use HTTP/1.1.</summary>
    Auto = 2,
}
