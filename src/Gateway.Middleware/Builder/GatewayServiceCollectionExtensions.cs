using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gateway's services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway's services and returns the builder that declares routes and upstreams. Calling it
    /// again returns a builder over the same configuration.
    /// </summary>
    public static IGatewayBuilder AddGateway(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        var config = FindConfigBuilder(services);
        if (config is null)
        {
            config = new GatewayConfigBuilder();
            services.AddSingleton(config);
        }

        services.TryAddSingleton(TimeProvider.System);

        // One Meter per service provider through IMeterFactory (ASP.NET Core's pattern): hosts and tests stay apart.
        services.AddMetrics();
        services.TryAddSingleton<Gateway.Middleware.Diagnostics.GatewayMetrics>();
        services.AddOptions<GatewayMeshIdentityOptions>();
        services.TryAddSingleton<Gateway.Middleware.Upstreams.Tls.UpstreamTlsServices>();
        services.AddOptions<GatewayForwardingOptions>();
        services.AddOptions<Gateway.Middleware.Tls.GatewayTlsOptions>();
        services.AddOptions<GatewayUpstreamOverrideOptions>();

        // Kestrel would otherwise hide the header names a client lists beside keep-alive/close in Connection.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, ConnectionHeaderKestrelSetup>());
        services.TryAddSingleton(static sp =>
        {
            var builder = sp.GetRequiredService<GatewayConfigBuilder>();
            return new GatewayConfigProvider(
                builder.Build(),
                builder.Sources,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Middleware.Configuration"),
                sp.GetRequiredService<TimeProvider>(),
                new Gateway.Middleware.Tls.ServerTlsCompiler(
                    sp.GetRequiredService<IOptions<Gateway.Middleware.Tls.GatewayTlsOptions>>().Value,
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Middleware.Tls"),
                    sp.GetRequiredService<TimeProvider>()),
                sp.GetRequiredService<Gateway.Middleware.Upstreams.Tls.UpstreamTlsServices>(),
                sp.GetRequiredService<Gateway.Middleware.Diagnostics.GatewayMetrics>(),
                sp.GetRequiredService<IOptions<GatewayUpstreamOverrideOptions>>().Value);
        });
        services.TryAddSingleton<IGatewayConfigMonitor>(static sp => sp.GetRequiredService<GatewayConfigProvider>());

        // JWT rules may come from YAML or appsettings too: the JWKS cache and its warm-up (every jwksUri fetched
        // before Kestrel accepts a connection, so readiness follows it) are always there; with no rule they do nothing.
        GatewayJwtBuilderExtensions.AddJwtServices(services);
        return new GatewayBuilder(services, config);
    }

    /// <summary>Adds the gateway's services and configures forwarding (trusted hops, request ids).</summary>
    public static IGatewayBuilder AddGateway(this IServiceCollection services, Action<GatewayForwardingOptions> configureForwarding)
    {
        ArgumentNullException.ThrowIfNull(configureForwarding);
        var builder = services.AddGateway();
        services.Configure(configureForwarding);
        return builder;
    }

    private static GatewayConfigBuilder? FindConfigBuilder(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(GatewayConfigBuilder) && descriptor.ImplementationInstance is GatewayConfigBuilder existing)
            {
                return existing;
            }
        }

        return null;
    }
}
