using System.Globalization;
using Gateway.Middleware.Hosts;
using Gateway.Middleware.Routing;

namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigValidator
{
    private static void ValidateRoutes(GatewayConfig config, Dictionary<string, UpstreamConfig> upstreams, HashSet<string> servers, List<string> errors)
    {
        var routeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in config.Routes)
        {
            var whole = route.SourcePath.Length == 0 ? Describe("route", route.Name, route.Source) : $"{Describe("route", route.Name, route.Source)}: {route.SourcePath}";
            var where = route.SourcePath.Length == 0 ? $"{whole}: " : $"{whole}.";
            if (string.IsNullOrWhiteSpace(route.Name))
            {
                errors.Add($"{whole}: name must not be empty");
            }
            else if (!routeNames.Add(route.Name))
            {
                errors.Add($"{whole}: duplicate route name '{route.Name}'");
            }

            foreach (var error in route.DeclarationErrors)
            {
                errors.Add($"{whole}: {error}");
            }

            for (var i = 0; i < route.Hosts.Count; i++)
            {
                if (!HostPattern.TryParse(route.Hosts[i], out _, out var error))
                {
                    errors.Add($"{where}hosts[{i}]: {error}");
                }
            }

            for (var i = 0; i < route.Servers.Count; i++)
            {
                if (!servers.Contains(route.Servers[i]))
                {
                    errors.Add($"{where}servers[{i}]: unknown server '{route.Servers[i]}'");
                }
            }

            for (var i = 0; i < route.Matches.Count; i++)
            {
                ValidateMatch(route.Matches[i], $"{where}match[{i}]", errors);
            }

            ValidateActions(route, whole, where, upstreams, errors);
        }
    }

    private static void ValidateMatch(RouteMatchConfig match, string where, List<string> errors)
    {
        if (match.Path is { } path)
        {
            var field = path.Kind switch
            {
                StringMatchKind.Exact => "uri.exact",
                StringMatchKind.Regex => "uri.regex",
                _ => "uri.prefix",
            };
            if (path.Kind != StringMatchKind.Regex && (path.Value.Length == 0 || path.Value[0] != '/'))
            {
                errors.Add($"{where}.{field}: '{path.Value}' must start with '/'");
            }

            ValidateStringMatch(path, $"{where}.uri", errors);
        }

        ValidateStringMatch(match.Scheme, $"{where}.scheme", errors);
        ValidateStringMatch(match.Method, $"{where}.method", errors);
        ValidateStringMatch(match.Authority, $"{where}.authority", errors);
        foreach (var header in match.Headers)
        {
            ValidateName(header.Name, $"{where}.headers", errors);
            ValidateStringMatch(header.Match, $"{where}.headers.{header.Name}", errors);
        }

        foreach (var header in match.WithoutHeaders)
        {
            ValidateName(header.Name, $"{where}.withoutHeaders", errors);
            ValidateStringMatch(header.Match, $"{where}.withoutHeaders.{header.Name}", errors);
        }

        foreach (var query in match.QueryParams)
        {
            ValidateName(query.Name, $"{where}.queryParams", errors);
            ValidateStringMatch(query.Match, $"{where}.queryParams.{query.Name}", errors);
        }

        if (match.Port is { } port && (port < 1 || port > 65535))
        {
            errors.Add($"{where}.port: must be between 1 and 65535, got {port}");
        }
    }

    private static void ValidateStringMatch(StringMatchConfig? match, string where, List<string> errors)
    {
        if (match is { Kind: StringMatchKind.Regex } && StringMatcher.ValidateRegex(match.Value) is { } reason)
        {
            errors.Add($"{where}.regex: invalid pattern '{match.Value}': {reason}");
        }
    }

    private static void ValidateName(string name, string where, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add($"{where}: a name must not be empty");
        }
    }

    private static void ValidateActions(RouteConfig route, string whole, string where, Dictionary<string, UpstreamConfig> upstreams, List<string> errors)
    {
        var actions = (route.Destinations.Count > 0 ? 1 : 0) + (route.Redirect is null ? 0 : 1) + (route.DirectResponse is null ? 0 : 1);
        if (actions == 0)
        {
            errors.Add($"{whole}: a route needs at least one destination, a redirect or a direct response");
        }
        else if (actions > 1)
        {
            // Istio: "redirect and route are mutually exclusive", and so is directResponse with either.
            errors.Add($"{whole}: destinations, redirect and directResponse are mutually exclusive");
        }

        var total = 0;
        for (var i = 0; i < route.Destinations.Count; i++)
        {
            var destination = route.Destinations[i];
            ValidateDestination(destination, $"{where}route[{i}].destination", upstreams, errors);
            if (destination.Weight < 0)
            {
                errors.Add($"{where}route[{i}].weight: must not be negative, got {destination.Weight}");
            }

            total += destination.Weight;
        }

        if (route.Ordering == RouteOrdering.FirstMatch && route.Destinations.Count > 1 && total != 100)
        {
            errors.Add($"{whole}: total destination weight {total} != 100");
        }

        for (var i = 0; i < route.Mirrors.Count; i++)
        {
            ValidateDestination(route.Mirrors[i].Destination, $"{where}mirrors[{i}].destination", upstreams, errors);
            ValidatePercentage(route.Mirrors[i].Percentage, $"{where}mirrors[{i}].percentage", errors);
        }

        if (route.Timeout is { } timeout && timeout < TimeSpan.Zero)
        {
            errors.Add($"{where}timeout: must not be negative, got {timeout}");
        }

        ValidateHeaderOperations(route.RequestHeaders, $"{where}headers.request", errors);
        ValidateHeaderOperations(route.ResponseHeaders, $"{where}headers.response", errors);
        for (var i = 0; i < route.Destinations.Count; i++)
        {
            ValidateHeaderOperations(route.Destinations[i].RequestHeaders, $"{where}route[{i}].headers.request", errors);
            ValidateHeaderOperations(route.Destinations[i].ResponseHeaders, $"{where}route[{i}].headers.response", errors);
        }

        if (route.Cors is { } cors)
        {
            for (var i = 0; i < cors.AllowOrigins.Count; i++)
            {
                ValidateStringMatch(cors.AllowOrigins[i], $"{where}corsPolicy.allowOrigins[{i}]", errors);
            }
        }

        ValidateRedirect(route, where, errors);
        ValidateRewrite(route, whole, where, errors);
        ValidateFaultAndRetries(route, whole, where, errors);
    }

    private static void ValidateDestination(DestinationConfig destination, string where, Dictionary<string, UpstreamConfig> upstreams, List<string> errors)
    {
        if (!upstreams.TryGetValue(destination.Upstream, out var upstream))
        {
            errors.Add($"{where}.host: unknown upstream '{destination.Upstream}'");
            return;
        }

        if (destination.Subset is { } subset && !HasSubset(upstream, subset))
        {
            errors.Add($"{where}.subset: upstream '{upstream.Name}' has no subset '{subset}'");
        }

        var ports = new SortedSet<int>();
        foreach (var endpoint in upstream.Endpoints)
        {
            if (endpoint.ServicePort is { } port)
            {
                ports.Add(port);
            }
        }

        if (destination.Port is { } wanted)
        {
            if (ports.Count > 0 && !ports.Contains(wanted))
            {
                errors.Add($"{where}.port: upstream '{upstream.Name}' has no port {wanted} (ports: {string.Join(", ", ports)})");
            }
        }
        else if (ports.Count > 1)
        {
            errors.Add($"{where}.port: upstream '{upstream.Name}' has several ports ({string.Join(", ", ports)}); say which");
        }
    }

    private static bool HasSubset(UpstreamConfig upstream, string name)
    {
        foreach (var subset in upstream.Subsets)
        {
            if (subset.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    private static void ValidateRedirect(RouteConfig route, string where, List<string> errors)
    {
        if (route.Redirect is not { } redirect)
        {
            return;
        }

        if (redirect.Code is not (301 or 302 or 303 or 307 or 308))
        {
            errors.Add($"{where}redirect.redirectCode: must be 301, 302, 303, 307 or 308, got {redirect.Code}");
        }

        if (redirect.Path is not null && redirect.PrefixReplacement is not null)
        {
            errors.Add($"{where}redirect: uri and prefix replacement are mutually exclusive");
        }

        if (redirect.Scheme is { } scheme && scheme is not ("http" or "https"))
        {
            errors.Add($"{where}redirect.scheme: must be http or https, got '{scheme}'");
        }

        if (redirect.Port is { } port && (port < 1 || port > 65535))
        {
            errors.Add($"{where}redirect.port: must be between 1 and 65535, got {port}");
        }
    }

    private static void ValidateRewrite(RouteConfig route, string whole, string where, List<string> errors)
    {
        if (route.Rewrite is not { } rewrite)
        {
            return;
        }

        var kinds = (rewrite.PrefixReplacement is null ? 0 : 1) + (rewrite.FullPath is null ? 0 : 1) + (rewrite.RegexMatch is null ? 0 : 1);
        if (kinds > 1)
        {
            // Istio: "rewrite.uri and uriRegexRewrite are mutually exclusive".
            errors.Add($"{where}rewrite: uri, full path and uriRegexRewrite are mutually exclusive");
        }

        if (rewrite.RegexMatch is { } pattern && StringMatcher.ValidateRegex(pattern) is { } reason)
        {
            errors.Add($"{where}uriRegexRewrite.match: invalid pattern '{pattern}': {reason}");
        }

        if (route.Destinations.Count == 0)
        {
            errors.Add($"{whole}: rewrite needs destinations (it applies to forwarded requests)");
        }
    }

    private static void ValidateFaultAndRetries(RouteConfig route, string whole, string where, List<string> errors)
    {
        if (route.Fault is { } fault)
        {
            if (fault.Delay is null && fault.AbortStatus is null)
            {
                errors.Add($"{whole}: fault: give a delay or an abort");
            }

            if (fault.Delay is { } delay && delay < TimeSpan.Zero)
            {
                errors.Add($"{where}fault.delay.fixedDelay: must not be negative, got {delay}");
            }

            if (fault.AbortStatus is { } status && (status < 200 || status > 599))
            {
                errors.Add($"{where}fault.abort.httpStatus: must be between 200 and 599, got {status}");
            }

            ValidatePercentage(fault.DelayPercentage, $"{where}fault.delay.percentage", errors);
            ValidatePercentage(fault.AbortPercentage, $"{where}fault.abort.percentage", errors);
        }

        if (route.DirectResponse is { } direct && (direct.Status < 200 || direct.Status > 599))
        {
            errors.Add($"{where}directResponse.status: must be between 200 and 599, got {direct.Status}");
        }

        if (route.Retries is { } retries)
        {
            if (retries.Attempts < 0)
            {
                errors.Add($"{where}retries.attempts: must not be negative, got {retries.Attempts}");
            }

            if (retries.PerTryTimeout is { } perTry && perTry <= TimeSpan.Zero)
            {
                errors.Add($"{where}retries.perTryTimeout: must be positive, got {perTry}");
            }

            foreach (var condition in retries.RetryOn)
            {
                if (!IsRetryCondition(condition))
                {
                    errors.Add($"{where}retries.retryOn: unknown condition '{condition}'");
                }
            }
        }
    }

    private static bool IsRetryCondition(string condition)
        => condition is "5xx" or "gateway-error" or "connect-failure" or "refused-stream" or "retriable-4xx" or "reset"
            or "retriable-status-codes" or "envoy-ratelimited" or "cancelled" or "deadline-exceeded" or "internal" or "resource-exhausted" or "unavailable"
            || (int.TryParse(condition, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599);

    private static void ValidateHeaderOperations(HeaderOperationsConfig? operations, string where, List<string> errors)
    {
        if (operations is null)
        {
            return;
        }

        foreach (var (name, value) in operations.Set)
        {
            ValidateHeader(name, value, $"{where}.set", errors);
        }

        foreach (var (name, value) in operations.Add)
        {
            ValidateHeader(name, value, $"{where}.add", errors);
        }

        foreach (var name in operations.Remove)
        {
            ValidateHeader(name, "", $"{where}.remove", errors);
        }
    }

    private static void ValidateHeader(string name, string value, string where, List<string> errors)
    {
        // Pseudo-headers (":authority") are written with a leading colon.
        var token = name.StartsWith(':') ? name[1..] : name;
        if (token.Length == 0 || !IsToken(token))
        {
            errors.Add($"{where}: '{name}' is not a valid header name");
        }
        else if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            // A header value that could end the header line would let configuration smuggle headers.
            errors.Add($"{where}.{name}: the value must not contain CR, LF or NUL");
        }
    }

    /// <summary>RFC 9110 §5.6.2 token characters.</summary>
    private static bool IsToken(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private static void ValidatePercentage(double value, string where, List<string> errors)
    {
        if (double.IsNaN(value) || value < 0 || value > 100)
        {
            errors.Add($"{where}: must be between 0 and 100, got {value.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
