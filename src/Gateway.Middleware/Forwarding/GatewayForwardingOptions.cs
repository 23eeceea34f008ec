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
    /// Whether to add an <c>x-request-id</c> (a random UUID) to requests that arrive without one, as Envoy
    /// does. Default <see langword="true"/>.
    /// </summary>
    public bool GenerateRequestId { get; set; } = true;
}
