using Gateway.Middleware.Authorization;
using Gateway.Middleware.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the gateway's path normalization stage to the request pipeline.</summary>
public static class GatewayPathApplicationBuilderExtensions
{
    /// <summary>
    /// Normalizes the request path as <see cref="GatewayPathOptions.Normalization"/> says, before routing
    /// and authorization; <c>HttpRequest.Path</c> is replaced by the result, which is also the path
    /// forwarded. A path with <c>%00</c> or an invalid <c>%</c> escape → 400 with an empty body.
    /// <c>UseGateway()</c> runs it first; <c>UseGatewayRouting()</c> runs it itself when it has not run.
    /// </summary>
    /// <exception cref="GatewayConfigurationException">The configuration is invalid; the message lists every error.</exception>
    public static IApplicationBuilder UseGatewayPathNormalization(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.ApplicationServices.GetRequiredService<GatewayConfigProvider>();
        return app.UseMiddleware<PathNormalizationMiddleware>();
    }
}
