namespace Gateway.Middleware.Tls;

/// <summary>
/// The identity of a connection's client certificate, validated by the gateway's TLS handshake against the
/// server's client CA. Set as a connection feature; authorization reads <c>source.principal</c> and
/// <c>source.namespace</c> from it. Absent, or without a principal, when no client certificate was given.
/// </summary>
internal sealed class GatewayPeerIdentity
{
    /// <summary>The URI SAN without <c>spiffe://</c>, e.g. <c>cluster.local/ns/default/sa/sleep</c>.</summary>
    public string? Principal { get; set; }

    /// <summary>The namespace named by <see cref="Principal"/> (<c>/ns/&lt;namespace&gt;/</c>).</summary>
    public string? Namespace { get; set; }
}
