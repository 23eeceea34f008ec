using Gateway.Middleware.Authorization;
using Gateway.Middleware.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the gateway's authorization stage to the request pipeline.</summary>
public static class GatewayAuthorizationApplicationBuilderExtensions
{
    /// <summary>
    /// Enforces the gateway's authorization policies (Istio AuthorizationPolicy): any matching DENY policy
    /// denies; with no ALLOW policy the request is allowed; otherwise a matching ALLOW policy is required.
    /// Denied requests are answered 403 with the body <c>RBAC: access denied</c> (gRPC: <c>grpc-status</c> 7).
    /// With no policy configured the stage does nothing. <c>UseGateway()</c> runs it after routing and before
    /// forwarding; place it after the JWT stage so principals and claims are available.
    /// </summary>
    /// <exception cref="GatewayConfigurationException">The configuration is invalid; the message lists every error.</exception>
    public static IApplicationBuilder UseGatewayAuthorization(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Resolving the provider compiles the configuration, so an invalid policy fails at startup.
        _ = app.ApplicationServices.GetRequiredService<GatewayConfigProvider>();
        return app.UseMiddleware<RbacMiddleware>();
    }
}
