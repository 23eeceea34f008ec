namespace Gateway.Middleware.Configuration;

/// <summary>Turns a validated <see cref="GatewayConfig"/> into an immutable <see cref="GatewaySnapshot"/>.</summary>
internal static partial class GatewayConfigCompiler
{
    /// <summary>Validates and compiles; throws <see cref="GatewayConfigurationException"/> listing every error.</summary>
    public static GatewaySnapshot Compile(GatewayConfig config, Upstreams.Tls.UpstreamTlsServices? upstreamTls = null)
    {
        var errors = GatewayConfigValidator.Validate(config);
        if (errors.Count > 0)
        {
            throw new GatewayConfigurationException(errors);
        }

        var clusters = new ClusterFactory(config.Upstreams, upstreamTls ?? Upstreams.Tls.UpstreamTlsServices.Default);
        var routes = CompileRoutes(config, clusters);
        var servers = CompileServers(config, routes);
        return new GatewaySnapshot(servers, clusters.Invokers) { Authorization = CompileAuthorization(config) };
    }
}
