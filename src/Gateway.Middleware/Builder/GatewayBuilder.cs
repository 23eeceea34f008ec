using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Builder;

internal sealed class GatewayBuilder : IGatewayBuilder
{
    public GatewayBuilder(IServiceCollection services, GatewayConfigBuilder config)
    {
        Services = services;
        Config = config;
    }

    public IServiceCollection Services { get; }

    public GatewayConfigBuilder Config { get; }
}
