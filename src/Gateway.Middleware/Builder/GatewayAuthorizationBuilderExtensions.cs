using Gateway.Middleware.Builder;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Declares the gateway's authorization policies in code.</summary>
public static class GatewayAuthorizationBuilderExtensions
{
    /// <summary>
    /// Adds an authorization policy (Istio <c>AuthorizationPolicy</c>), enforced after routing and before
    /// forwarding. Evaluation: any matching DENY policy → 403; else no ALLOW policy → allowed; else a matching
    /// ALLOW policy → allowed; else 403. The 403 body is <c>RBAC: access denied</c>.
    /// </summary>
    /// <example><code>
    /// gateway.AddAuthorizationPolicy("admin-only", p => p.Deny()
    ///     .Rule(r => r.To(paths: ["/admin*"]).WhenNot("request.auth.claims[groups]", "admins")));
    /// </code></example>
    public static IGatewayBuilder AddAuthorizationPolicy(this IGatewayBuilder builder, string name, Action<GatewayAuthorizationPolicyBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        var policy = new GatewayAuthorizationPolicyBuilder(name);
        configure(policy);
        var config = builder is GatewayBuilder gateway
            ? gateway.Config
            : throw new ArgumentException("The builder must come from AddGateway().", nameof(builder));
        config.AddAuthorizationPolicy(policy.Build());
        return builder;
    }
}
