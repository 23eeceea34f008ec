using Gateway.Middleware.Hosts;

namespace Gateway.Middleware.Configuration;

/// <summary>Checks a whole <see cref="GatewayConfig"/> and reports every error, not just the first.</summary>
internal static class GatewayConfigValidator
{
    public static List<string> Validate(GatewayConfig config)
    {
        var errors = new List<string>();
        var upstreamNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (var upstream in config.Upstreams)
        {
            var where = Describe("upstream", upstream.Name, upstream.Source);
            if (string.IsNullOrWhiteSpace(upstream.Name))
            {
                errors.Add($"{where}: name must not be empty");
            }
            else if (!upstreamNames.Add(upstream.Name))
            {
                errors.Add($"{where}: duplicate upstream name '{upstream.Name}'");
            }

            if (upstream.ConnectTimeout <= TimeSpan.Zero)
            {
                errors.Add($"{where}: connectTimeout must be positive, got {upstream.ConnectTimeout}");
            }

            for (var i = 0; i < upstream.Endpoints.Count; i++)
            {
                if (!TryParseEndpoint(upstream.Endpoints[i], out _, out var error))
                {
                    errors.Add($"{where}: endpoints[{i}]: {error}");
                }
            }
        }

        var routeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in config.Routes)
        {
            var where = Describe("route", route.Name, route.Source);
            if (string.IsNullOrWhiteSpace(route.Name))
            {
                errors.Add($"{where}: name must not be empty");
            }
            else if (!routeNames.Add(route.Name))
            {
                errors.Add($"{where}: duplicate route name '{route.Name}'");
            }

            for (var i = 0; i < route.Hosts.Count; i++)
            {
                if (!HostPattern.TryParse(route.Hosts[i], out _, out var error))
                {
                    errors.Add($"{where}: hosts[{i}]: {error}");
                }
            }

            for (var i = 0; i < route.Matches.Count; i++)
            {
                var prefix = route.Matches[i].PathPrefix;
                if (prefix is not null && (prefix.Length == 0 || prefix[0] != '/'))
                {
                    errors.Add($"{where}: matches[{i}].pathPrefix: '{prefix}' must start with '/'");
                }
            }

            if (route.Destinations.Count == 0)
            {
                errors.Add($"{where}: a route needs at least one destination");
            }

            for (var i = 0; i < route.Destinations.Count; i++)
            {
                var destination = route.Destinations[i];
                if (!upstreamNames.Contains(destination.Upstream) && !ContainsUpstream(config, destination.Upstream))
                {
                    errors.Add($"{where}: destinations[{i}]: unknown upstream '{destination.Upstream}'");
                }

                if (destination.Weight < 0)
                {
                    errors.Add($"{where}: destinations[{i}].weight: must not be negative, got {destination.Weight}");
                }
            }

            if (route.Timeout is { } timeout && timeout < TimeSpan.Zero)
            {
                errors.Add($"{where}: timeout must not be negative, got {timeout}");
            }
        }

        return errors;
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

    private static bool ContainsUpstream(GatewayConfig config, string name)
    {
        foreach (var upstream in config.Upstreams)
        {
            if (string.Equals(upstream.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(string kind, string name, string source)
        => source.Length > 0 ? source : $"{kind} '{name}'";
}
