using Gateway.Middleware.Hosts;

namespace Gateway.Middleware.Configuration;

/// <summary>
/// Checks a whole <see cref="GatewayConfig"/> and reports every error, not just the first, each naming
/// the resource and the field (Istio's own validation rules where they apply).
/// </summary>
internal static partial class GatewayConfigValidator
{
    public static List<string> Validate(GatewayConfig config)
    {
        var errors = new List<string>();
        var upstreams = ValidateUpstreams(config, errors);
        var servers = ValidateServers(config, errors);
        ValidateRoutes(config, upstreams, servers, errors);
        ValidateAuthorization(config, errors);
        Authentication.JwtRuleValidator.Validate(config.JwtRules, errors);
        return errors;
    }

    private static Dictionary<string, UpstreamConfig> ValidateUpstreams(GatewayConfig config, List<string> errors)
    {
        var upstreams = new Dictionary<string, UpstreamConfig>(StringComparer.OrdinalIgnoreCase);
        foreach (var upstream in config.Upstreams)
        {
            var where = Describe("upstream", upstream.Name, upstream.Source);
            if (string.IsNullOrWhiteSpace(upstream.Name))
            {
                errors.Add($"{where}: name must not be empty");
            }
            else if (!upstreams.TryAdd(upstream.Name, upstream))
            {
                errors.Add($"{where}: duplicate upstream name '{upstream.Name}'");
            }

            if (upstream.ConnectTimeout <= TimeSpan.Zero)
            {
                errors.Add($"{where}: connectTimeout must be positive, got {upstream.ConnectTimeout}");
            }

            for (var i = 0; i < upstream.Endpoints.Count; i++)
            {
                if (!TryParseEndpoint(upstream.Endpoints[i].Address, out _, out var error))
                {
                    errors.Add($"{where}: endpoints[{i}]: {error}");
                }
            }

            var subsets = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < upstream.Subsets.Count; i++)
            {
                var subset = upstream.Subsets[i];
                if (string.IsNullOrWhiteSpace(subset.Name))
                {
                    errors.Add($"{where}: subsets[{i}].name must not be empty");
                }
                else if (!subsets.Add(subset.Name))
                {
                    errors.Add($"{where}: subsets[{i}]: duplicate subset name '{subset.Name}'");
                }
            }

            ValidateTrafficPolicies(upstream, where, errors);
            ValidateUpstreamTls(upstream, where, errors);
        }

        return upstreams;
    }

    private static HashSet<string> ValidateServers(GatewayConfig config, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var claimed = new Dictionary<(int?, HostPattern), string>();
        foreach (var server in config.Servers)
        {
            var where = Describe("server", server.Name, server.Source);
            if (string.IsNullOrWhiteSpace(server.Name))
            {
                errors.Add($"{where}: name must not be empty");
            }
            else if (!names.Add(server.Name))
            {
                errors.Add($"{where}: duplicate server name '{server.Name}'");
            }

            if (server.Port is { } port && (port < 1 || port > 65535))
            {
                errors.Add($"{where}: port must be between 1 and 65535, got {port}");
            }

            if (server.Hosts.Count == 0)
            {
                errors.Add($"{where}: hosts must not be empty");
            }

            for (var i = 0; i < server.Hosts.Count; i++)
            {
                if (!HostPattern.TryParse(server.Hosts[i], out var host, out var error))
                {
                    errors.Add($"{where}: hosts[{i}]: {error}");
                }
                else if (!claimed.TryAdd((server.Port, host), server.Name) && claimed[(server.Port, host)] != server.Name)
                {
                    // Istio rejects two servers serving the same host on the same port.
                    errors.Add($"{where}: hosts[{i}]: '{host}' on port {server.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "*"} is already served by server '{claimed[(server.Port, host)]}'");
                }
            }

            if (server.TlsSettings is { } tls)
            {
                ValidateServerTls(tls, errors);
            }
        }

        return names;
    }

    /// <summary>Parses an endpoint address: absolute <c>http</c>/<c>https</c> with a host and nothing after the authority.</summary>
    public static bool TryParseEndpoint(string text, out Uri? address, out string? error)
    {
        address = null;
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            error = $"'{text}' is not a valid address: expected http://host:port or https://host:port";
            return false;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            error = $"'{text}' is not a valid address: an endpoint has no path, query or user info";
            return false;
        }

        address = uri;
        return true;
    }

    private static string Describe(string kind, string name, string source)
        => source.Length > 0 ? source : $"{kind} '{name}'";
}
