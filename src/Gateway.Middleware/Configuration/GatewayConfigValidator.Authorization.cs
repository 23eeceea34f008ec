using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigValidator
{
    /// <summary>AuthorizationPolicy checks: every invalid value, naming the policy and the field.</summary>
    private static void ValidateAuthorization(GatewayConfig config, List<string> errors)
        => _ = RbacCompiler.Compile(config.AuthorizationPolicies, errors);
}
