namespace Gateway.Middleware.Forwarding;

/// <summary>How the forwarder treats headers that describe the client and its path to the gateway.</summary>
public sealed class GatewayForwardingOptions
{
    /// <summary>
    /// How many proxies in front of the gateway are trusted (Envoy's <c>xff_num_trusted_hops</c>). With 0,
    /// the default, the client's <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> are discarded and
    /// replaced from the connection. With N &gt; 0, the last N entries of the incoming <c>X-Forwarded-For</c>
    /// are kept (entries a client could have forged before them are dropped) and the peer address is
    /// appended, and the incoming <c>X-Forwarded-Proto</c>/<c>-Host</c> are kept when present.
    /// </summary>
    public int TrustedProxyHops { get; set; }

    /// <summary>
    /// Whether the gateway assigns <c>x-request-id</c> (a random UUID) to the requests it forwards, as Envoy
    /// does. Default <see langword="true"/>. With <see langword="false"/>, the client's value (if any) is
    /// forwarded as sent.
    /// </summary>
    public bool GenerateRequestId { get; set; } = true;

    /// <summary>
    /// Whether a client's own <c>x-request-id</c> is kept (Envoy's <c>preserve_external_request_id</c>).
    /// Default <see langword="false"/>: as at an Istio ingress gateway (an edge proxy), the client's value is
    /// replaced by a generated one, so a client cannot choose the id that correlates logs and traces behind
    /// the gateway. Set it when a trusted proxy in front of the gateway assigns request ids.
    /// </summary>
    public bool PreserveExternalRequestId { get; set; }
}
