namespace Gateway.Middleware.Configuration;

/// <summary>Turns a validated <see cref="GatewayConfig"/> into an immutable <see cref="GatewaySnapshot"/>.</summary>
internal static partial class GatewayConfigCompiler
{
    /// <summary>
    /// Validates and compiles; throws <see cref="GatewayConfigurationException"/> listing every error. Server TLS
    /// comes precompiled in <paramref name="tls"/>; upstream TLS material is shared through
    /// <paramref name="upstreamTls"/>; clusters run outlier detection on <paramref name="timeProvider"/> and log
    /// to <paramref name="logger"/>; <paramref name="metrics"/> counts their outlier ejections.
    /// </summary>
    public static GatewaySnapshot Compile(
        GatewayConfig config,
        Tls.ServerTlsTable? tls = null,
        Upstreams.Tls.UpstreamTlsServices? upstreamTls = null,
        TimeProvider? timeProvider = null,
        Microsoft.Extensions.Logging.ILogger? logger = null,
        Diagnostics.GatewayMetrics? metrics = null)
    {
        var errors = GatewayConfigValidator.Validate(config);
        if (errors.Count > 0)
        {
            throw new GatewayConfigurationException(errors);
        }

        var clusters = new ClusterFactory(config.Upstreams, upstreamTls ?? Upstreams.Tls.UpstreamTlsServices.Default, timeProvider ?? TimeProvider.System, logger, metrics);
        var routes = CompileRoutes(config, clusters);
        var servers = CompileServers(config, routes);
        return new GatewaySnapshot(servers, clusters.Invokers) { Clusters = clusters.Clusters, Authorization = CompileAuthorization(config), Tls = tls ?? Tls.ServerTlsTable.Empty, Config = config };
    }
}
