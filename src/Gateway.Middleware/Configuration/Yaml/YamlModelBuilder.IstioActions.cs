using System.Text;
using Gateway.Middleware.Routing;
using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// The actions of a VirtualService rule: redirect, directResponse, rewrite, headers, fault, timeout, retries,
/// mirrors and corsPolicy. Rules the model validator also checks (one action per rule, weights adding to
/// 100, status and percentage ranges) are left to it: its messages carry the same file, resource and path.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private RouteConfig MapIstioActions(YamlResource service, YamlMappingNode http, string path, RouteConfig rule)
    {
        var headers = Map(http, "headers");
        return rule with
        {
            Redirect = ReadRedirect(service, Map(http, "redirect"), $"{path}.redirect"),
            DirectResponse = ReadDirectResponse(service, Map(http, "directResponse"), $"{path}.directResponse"),
            Rewrite = ReadRewrite(service, Map(http, "rewrite"), $"{path}.rewrite"),
            RequestHeaders = ReadHeaderOperations(Map(headers, "request")),
            ResponseHeaders = ReadHeaderOperations(Map(headers, "response")),
            Fault = ReadFault(service, Map(http, "fault"), $"{path}.fault"),
            Timeout = ReadDuration(service, http, "timeout", path, minimum: TimeSpan.Zero),
            Retries = ReadRetries(service, Map(http, "retries"), $"{path}.retries"),
            Mirrors = ReadMirrors(service, http, path),
            Cors = ReadCors(service, Map(http, "corsPolicy"), $"{path}.corsPolicy"),
        };
    }

    private RedirectConfig? ReadRedirect(YamlResource service, YamlMappingNode? redirect, string path)
    {
        if (redirect is null)
        {
            return null;
        }

        if (Has(redirect, "derivePort"))
        {
            if (Has(redirect, "port"))
            {
                _diagnostics.Error(service, $"{path}.derivePort", "port and derivePort are mutually exclusive");
            }
            else
            {
                _diagnostics.Warning(service, $"{path}.derivePort", "not applied: the request's port is kept unless the scheme changes");
            }
        }

        return new RedirectConfig
        {
            Path = String(redirect, "uri"),
            Authority = String(redirect, "authority"),
            Scheme = String(redirect, "scheme"),
            Port = Int(redirect, "port"),
            Code = Int(redirect, "redirectCode") ?? 301,
        };
    }

    private DirectResponseConfig? ReadDirectResponse(YamlResource service, YamlMappingNode? direct, string path)
    {
        if (direct is null)
        {
            return null;
        }

        var status = Int(direct, "status");
        if (status is null)
        {
            _diagnostics.Error(service, $"{path}.status", "required");
            return null;
        }

        var body = Map(direct, "body");
        var text = String(body, "string");
        if (String(body, "bytes") is { } bytes)
        {
            if (text is not null)
            {
                _diagnostics.Error(service, $"{path}.body", "give only one of string or bytes");
            }

            try
            {
                text = Encoding.UTF8.GetString(Convert.FromBase64String(bytes));
            }
            catch (FormatException)
            {
                _diagnostics.Error(service, $"{path}.body.bytes", "not valid base64");
            }
        }

        return new DirectResponseConfig(status.Value, text);
    }

    private RewriteConfig? ReadRewrite(YamlResource service, YamlMappingNode? rewrite, string path)
    {
        if (rewrite is null)
        {
            return null;
        }

        var config = new RewriteConfig { PrefixReplacement = String(rewrite, "uri"), Authority = String(rewrite, "authority") };
        if (Map(rewrite, "uriRegexRewrite") is { } regex)
        {
            var match = String(regex, "match");
            var replacement = String(regex, "rewrite");
            if (match is null || replacement is null)
            {
                _diagnostics.Error(service, $"{path}.uriRegexRewrite", "match and rewrite are both required");
            }
            else if (StringMatcher.ValidateRegex(match) is { } reason)
            {
                _diagnostics.Error(service, $"{path}.uriRegexRewrite.match", $"invalid pattern '{match}': {reason}");
            }
            else
            {
                config = config with { RegexMatch = match, RegexReplacement = replacement };
            }
        }

        return config;
    }

    private FaultConfig? ReadFault(YamlResource service, YamlMappingNode? fault, string path)
    {
        if (fault is null)
        {
            return null;
        }

        var config = new FaultConfig();
        if (Map(fault, "delay") is { } delay)
        {
            if (Has(delay, "exponentialDelay"))
            {
                _diagnostics.Warning(service, $"{path}.delay.exponentialDelay", "not supported (Istio does not implement it either); the delay is not applied");
            }
            else if (!Has(delay, "fixedDelay"))
            {
                _diagnostics.Error(service, $"{path}.delay.fixedDelay", "required");
            }

            config = config with
            {
                Delay = ReadDuration(service, delay, "fixedDelay", $"{path}.delay", minimum: TimeSpan.FromMilliseconds(1)),
                DelayPercentage = Percentage(delay),
            };
        }

        if (Map(fault, "abort") is { } abort)
        {
            if (Has(abort, "grpcStatus") || Has(abort, "http2Error"))
            {
                _diagnostics.Warning(service, $"{path}.abort", "grpcStatus and http2Error are not supported; only httpStatus aborts");
            }
            else if (!Has(abort, "httpStatus"))
            {
                _diagnostics.Error(service, $"{path}.abort.httpStatus", "required");
            }

            config = config with { AbortStatus = Int(abort, "httpStatus"), AbortPercentage = Percentage(abort) };
        }

        return config;

        // percentage.value, else the deprecated integer percent, else every request.
        static double Percentage(YamlMappingNode node) => Double(Map(node, "percentage"), "value") ?? Int(node, "percent") ?? 100;
    }

    private RetryConfig? ReadRetries(YamlResource service, YamlMappingNode? retries, string path)
    {
        if (retries is null)
        {
            return null;
        }

        if (Has(retries, "backoff"))
        {
            _diagnostics.Warning(service, $"{path}.backoff", "not applied yet: retries use the forwarder's backoff");
        }

        var config = new RetryConfig
        {
            // Istio: retries without attempts (0) disable retries.
            Attempts = Int(retries, "attempts") ?? 0,
            PerTryTimeout = ReadDuration(service, retries, "perTryTimeout", path, minimum: TimeSpan.FromMilliseconds(1)),
        };
        if (String(retries, "retryOn") is { } retryOn)
        {
            config = config with { RetryOn = retryOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
        }

        return config;
    }

    private List<MirrorConfig> ReadMirrors(YamlResource service, YamlMappingNode http, string path)
    {
        var mirrors = new List<MirrorConfig>();
        if (Map(http, "mirror") is { } mirror)
        {
            if (Has(http, "mirrors"))
            {
                _diagnostics.Error(service, $"{path}.mirror", "mirror and mirrors are mutually exclusive");
            }

            var percentage = Double(Map(http, "mirrorPercentage"), "value") ?? Int(http, "mirrorPercent") ?? 100;
            if (percentage is < 0 or > 100)
            {
                _diagnostics.Error(service, Has(http, "mirrorPercentage") ? $"{path}.mirrorPercentage.value" : $"{path}.mirrorPercent", $"must be between 0 and 100, got {percentage}");
                percentage = 100;
            }

            if (ReadIstioDestination(service, mirror, $"{path}.mirror", 100) is { } destination)
            {
                mirrors.Add(new MirrorConfig(destination, percentage));
            }
        }

        foreach (var (i, entry) in Maps(http, "mirrors"))
        {
            var entryPath = Index($"{path}.mirrors", i);
            var percentage = Double(Map(entry, "percentage"), "value") ?? 100;
            if (percentage is < 0 or > 100)
            {
                _diagnostics.Error(service, $"{entryPath}.percentage.value", $"must be between 0 and 100, got {percentage}");
                percentage = 100;
            }

            if (ReadIstioDestination(service, Map(entry, "destination"), $"{entryPath}.destination", 100) is { } destination)
            {
                mirrors.Add(new MirrorConfig(destination, percentage));
            }
        }

        return mirrors;
    }

    private CorsConfig? ReadCors(YamlResource service, YamlMappingNode? cors, string path)
    {
        if (cors is null)
        {
            return null;
        }

        var origins = new List<StringMatchConfig>();
        foreach (var origin in Strings(cors, "allowOrigin"))
        {
            origins.Add(new StringMatchConfig(StringMatchKind.Exact, origin));
        }

        var items = List(cors, "allowOrigins");
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is { } item && ReadStringMatch(service, item, Index($"{path}.allowOrigins", i), required: true) is { } match)
            {
                origins.Add(match);
            }
        }

        return new CorsConfig
        {
            AllowOrigins = origins,
            AllowMethods = Strings(cors, "allowMethods"),
            AllowHeaders = Strings(cors, "allowHeaders"),
            ExposeHeaders = Strings(cors, "exposeHeaders"),
            MaxAge = ReadDuration(service, cors, "maxAge", path, minimum: TimeSpan.Zero),
            AllowCredentials = Bool(cors, "allowCredentials") ?? false,
            // UNSPECIFIED and FORWARD forward preflights from origins the policy does not allow; IGNORE answers them.
            ForwardUnmatchedPreflights = String(cors, "unmatchedPreflights") != "IGNORE",
        };
    }

    /// <summary>An Istio duration; the shape check reported malformed text, this checks the range.</summary>
    private TimeSpan? ReadDuration(YamlResource resource, YamlMappingNode? parent, string field, string path, TimeSpan minimum)
    {
        if (String(parent, field) is not { } text || !YamlDuration.TryParseIstio(text, out var value, out _))
        {
            return null;
        }

        if (value < minimum)
        {
            _diagnostics.Error(resource, $"{path}.{field}", minimum == TimeSpan.Zero ? $"must not be negative, got {text}" : $"must be at least 1ms, got {text}");
            return null;
        }

        return value;
    }
}
