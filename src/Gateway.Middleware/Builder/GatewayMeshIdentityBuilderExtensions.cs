using Gateway.Middleware.Builder;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the gateway's mesh identity, used by upstreams in ISTIO_MUTUAL mode.</summary>
public static class GatewayMeshIdentityBuilderExtensions
{
    /// <summary>
    /// Sets the gateway's mesh identity once for every ISTIO_MUTUAL upstream: the workload certificate chain
    /// and key it presents, the mesh roots it trusts, and the SPIFFE trust domain upstreams must belong to.
    /// Without it, an ISTIO_MUTUAL upstream is a configuration error.
    /// </summary>
    /// <example><code>
    /// builder.Services.AddGateway().ConfigureMeshIdentity(o =>
    /// {
    ///     o.CertificateChainPath = "/etc/certs/cert-chain.pem";
    ///     o.PrivateKeyPath = "/etc/certs/key.pem";
    ///     o.CaCertificatesPath = "/etc/certs/root-cert.pem";
    ///     o.TrustDomain = "cluster.local";
    /// });
    /// </code></example>
    public static IGatewayBuilder ConfigureMeshIdentity(this IGatewayBuilder builder, Action<GatewayMeshIdentityOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
