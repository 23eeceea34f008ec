using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigCompiler
{
    /// <summary>Compiles the (already validated) authorization policies into immutable matchers.</summary>
    private static RbacEngine CompileAuthorization(GatewayConfig config)
        => RbacCompiler.Compile(config.AuthorizationPolicies, []);
}
