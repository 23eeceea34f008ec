using Gateway.Middleware.Tls;
using Gateway.Middleware.Builder;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures how the gateway finds and reloads the certificates of its TLS servers.</summary>
public static class GatewayTlsBuilderExtensions
{
    /// <summary>
    /// Configures <see cref="GatewayTlsOptions"/>: the secrets directory that <c>credentialName</c> and
    /// <c>certificateRefs</c> resolve in, and how often certificate files are re-read.
    /// </summary>
    /// <example><code>
    /// gateway.ConfigureTls(tls => tls.SecretsDirectory = "/etc/istio/secrets");
    /// </code></example>
    public static IGatewayBuilder ConfigureTls(this IGatewayBuilder builder, Action<GatewayTlsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
