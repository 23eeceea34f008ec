using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration.Sources;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Loads the Istio and Gateway API YAML you apply to a cluster.</summary>
public static class GatewayYamlBuilderExtensions
{
    /// <summary>
    /// Loads Istio (Gateway, VirtualService, DestinationRule, ServiceEntry, WorkloadEntry) and Gateway API
    /// (Gateway, HTTPRoute) resources from a YAML file or a folder of <c>*.yaml</c>/<c>*.yml</c> files, each
    /// possibly holding several <c>---</c> documents. They are merged with what the builder declares and
    /// validated as a whole at start: an invalid file stops the app with every error listed
    /// (<c>file#doc Kind ns/name: field.path: why</c>).
    /// </summary>
    /// <param name="builder">The gateway builder.</param>
    /// <param name="path">A YAML file or a folder.</param>
    /// <param name="watch">
    /// Reload when the files change (default <see langword="true"/>): a valid change is served within about a
    /// second, in-flight requests finish on the old configuration; an invalid change is refused and logged,
    /// and the last good configuration keeps serving.
    /// </param>
    public static IGatewayBuilder LoadIstioYaml(this IGatewayBuilder builder, string path, bool watch = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(path);
        if (builder is not GatewayBuilder gateway)
        {
            throw new ArgumentException("The builder must come from AddGateway().", nameof(builder));
        }

        gateway.Config.AddSource(new YamlConfigSource(path, watch));
        return builder;
    }
}
