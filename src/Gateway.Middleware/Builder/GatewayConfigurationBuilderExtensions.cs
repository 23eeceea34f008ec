using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration.AppSettings;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Loads the gateway's servers, upstreams and routes from <c>IConfiguration</c> (appsettings.json).</summary>
public static class GatewayConfigurationBuilderExtensions
{
    /// <summary>
    /// Loads servers, upstreams and routes from a configuration section, usually
    /// <c>builder.Configuration.GetSection("Gateway")</c>, in Istio's vocabulary (see docs/configuration.md).
    /// They are merged with what the builder declares and any YAML, and validated as a whole at start: an
    /// unknown key, a value of the wrong type or an invalid rule stops the app with every error listed, each
    /// naming its section path (<c>Gateway:Routes:0:Match:0:Uri:Regx: unknown field</c>,
    /// <c>Gateway:Routes:0: match[0].uri.regex: invalid pattern ...</c>). A name used twice across the builder,
    /// configuration and YAML (server, upstream or route) is an error.
    /// </summary>
    /// <remarks>
    /// When the configuration reloads (appsettings.json is watched by default) and the section changed, the
    /// gateway reloads: a valid change is served within about a second, in-flight requests finish on the old
    /// configuration; an invalid change is refused and logged, <see cref="Gateway.Middleware.Configuration.IGatewayConfigMonitor"/>
    /// reports its errors, and the last good configuration keeps serving. A section that disappears after it
    /// was loaded (file deleted or no longer parsable) is refused the same way.
    /// </remarks>
    /// <param name="builder">The gateway builder.</param>
    /// <param name="section">The section holding <c>Servers</c>, <c>Upstreams</c> and <c>Routes</c>.</param>
    public static IGatewayBuilder LoadFromConfig(this IGatewayBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        if (builder is not GatewayBuilder gateway)
        {
            throw new ArgumentException("The builder must come from AddGateway().", nameof(builder));
        }

        gateway.Config.AddSource(new AppSettingsConfigSource(section));
        return builder;
    }
}
