using Gateway.Middleware.Authorization;
using Gateway.Middleware.Builder;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures how the gateway normalizes request paths (docs/paths.md).</summary>
public static class GatewayPathBuilderExtensions
{
    /// <summary>
    /// Configures path normalization. The default, <see cref="PathNormalization.MergeSlashes"/>, is safer
    /// than Istio's <c>BASE</c> default: <c>//admin</c> is routed and authorized as <c>/admin</c>.
    /// </summary>
    /// <example><code>
    /// gateway.ConfigurePaths(p => p.Normalization = PathNormalization.DecodeAndMergeSlashes);
    /// </code></example>
    public static IGatewayBuilder ConfigurePaths(this IGatewayBuilder builder, Action<GatewayPathOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
