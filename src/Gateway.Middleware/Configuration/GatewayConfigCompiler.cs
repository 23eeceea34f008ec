namespace Gateway.Middleware.Configuration;

/// <summary>Turns a validated <see cref="GatewayConfig"/> into an immutable <see cref="GatewaySnapshot"/>.</summary>
internal static partial class GatewayConfigCompiler
{
    /// <summary>
    /// Validates and compiles; throws <see cref="GatewayConfigurationException"/> listing every error. Clusters
    /// run outlier detection on <paramref name="timeProvider"/> and log to <paramref name="logger"/>.
    /// </summary>
    public static GatewaySnapshot Compile(GatewayConfig config, Tls.ServerTlsTable? tls = null, TimeProvider? timeProvider = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        var errors = GatewayConfigValidator.Validate(config);
        if (errors.Count > 0)
        {
            throw new GatewayConfigurationException(errors);
        }

        var clusters = new ClusterFactory(config.Upstreams, timeProvider ?? TimeProvider.System, logger);
        var routes = CompileRoutes(config, clusters);
        var servers = CompileServers(config, routes);
        return new GatewaySnapshot(servers, clusters.Invokers) { Authorization = CompileAuthorization(config), Tls = tls ?? Tls.ServerTlsTable.Empty };
    }
}
