using Gateway.Middleware.Authentication;
using Gateway.Middleware.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the JWT stage (Istio RequestAuthentication) to the request pipeline.</summary>
public static class GatewayJwtApplicationBuilderExtensions
{
    /// <summary>
    /// Validates the request's JWT against the configured rules. No rules, or no token: the request passes
    /// unauthenticated. Invalid token or unconfigured issuer: 401 with Envoy's text (e.g. <c>Jwt is expired</c>,
    /// <c>Jwt verification fails</c>, <c>Jwt issuer is not configured</c>) and
    /// <c>WWW-Authenticate: Bearer realm="…", error="invalid_token"</c>. Audience not allowed: 403
    /// <c>Audiences in Jwt are not allowed</c>. <c>UseGateway()</c> runs it after host matching, before routing.
    /// </summary>
    public static IApplicationBuilder UseGatewayJwt(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.ApplicationServices.GetRequiredService<GatewayConfigProvider>();
        return app.UseMiddleware<JwtAuthenticationMiddleware>();
    }
}
