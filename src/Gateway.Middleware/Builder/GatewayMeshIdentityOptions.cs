namespace Gateway.Middleware.Builder;

/// <summary>
/// The gateway's mesh (workload) identity, used for upstreams whose DestinationRule says
/// <c>tls.mode: ISTIO_MUTUAL</c>: the certificate the gateway presents, the roots it trusts and the SPIFFE
/// trust domain upstream identities must belong to. In Istio these come from the mesh CA (istiod); here the
/// application points at PEM files, e.g. the ones Istio mounts at <c>/etc/certs/cert-chain.pem</c>,
/// <c>key.pem</c> and <c>root-cert.pem</c>. Files reload when their content changes.
/// </summary>
public sealed class GatewayMeshIdentityOptions
{
    /// <summary>
    /// PEM file of the gateway's workload certificate, leaf first, then intermediates (Istio
    /// <c>cert-chain.pem</c>). Required for <c>ISTIO_MUTUAL</c>; default <see langword="null"/> (no mesh identity).
    /// </summary>
    public string? CertificateChainPath { get; set; }

    /// <summary>PEM (PKCS#8 or PKCS#1/SEC1) private key of <see cref="CertificateChainPath"/> (Istio <c>key.pem</c>).</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>
    /// PEM bundle of the mesh roots upstream certificates must chain to (Istio <c>root-cert.pem</c>). Required
    /// for <c>ISTIO_MUTUAL</c>; the system store is never used for mesh traffic.
    /// </summary>
    public string? CaCertificatesPath { get; set; }

    /// <summary>
    /// The SPIFFE trust domain: without <c>subjectAltNames</c>, an upstream must present a URI SAN
    /// <c>spiffe://&lt;TrustDomain&gt;/...</c>. Default <c>cluster.local</c> (Istio's default).
    /// </summary>
    public string TrustDomain { get; set; } = "cluster.local";
}
