namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>
/// The actions of a rule, named as Istio names them: <c>Redirect</c>, <c>DirectResponse</c>, <c>Rewrite</c>,
/// <c>Headers</c>, <c>Fault</c>, <c>Retries</c>, <c>Mirrors</c>, <c>CorsPolicy</c>. Rules the model validator
/// checks (one action per rule, weights adding to 100, ranges, regex syntax) are left to it.
/// </summary>
internal sealed partial class AppSettingsModelBuilder
{
    private static readonly RedirectConfig RedirectDefaults = new();
    private static readonly FaultConfig FaultDefaults = new();
    private static readonly CorsConfig CorsDefaults = new();

    private RedirectConfig? ReadRedirect(ConfigNode? node)
    {
        if (Object(node, "Uri", "Authority", "Scheme", "Port", "RedirectCode") is not { } fields)
        {
            return null;
        }

        return new RedirectConfig
        {
            Path = String(fields["Uri"]),
            Authority = String(fields["Authority"]),
            Scheme = String(fields["Scheme"]),
            Port = Int(fields["Port"]),
            Code = Int(fields["RedirectCode"]) ?? RedirectDefaults.Code,
        };
    }

    private DirectResponseConfig? ReadDirectResponse(ConfigNode? node)
    {
        if (Object(node, "Status", "Body") is not { } fields)
        {
            return null;
        }

        if (Int(fields["Status"]) is not { } status)
        {
            if (Absent(fields["Status"]))
            {
                Missing(node!, "Status");
            }

            return null;
        }

        return new DirectResponseConfig(status, String(fields["Body"]));
    }

    private RewriteConfig? ReadRewrite(ConfigNode? node)
    {
        if (Object(node, "Uri", "Authority", "UriRegexRewrite") is not { } fields)
        {
            return null;
        }

        var rewrite = new RewriteConfig { PrefixReplacement = String(fields["Uri"]), Authority = String(fields["Authority"]) };
        if (Object(fields["UriRegexRewrite"], "Match", "Rewrite") is { } regex)
        {
            var match = String(regex["Match"]);
            var replacement = String(regex["Rewrite"]);
            if (Absent(regex["Match"]))
            {
                Missing(fields["UriRegexRewrite"]!, "Match");
            }

            if (Absent(regex["Rewrite"]))
            {
                Missing(fields["UriRegexRewrite"]!, "Rewrite");
            }

            rewrite = rewrite with { RegexMatch = match, RegexReplacement = match is null ? null : replacement };
        }

        return rewrite;
    }

    /// <summary>Istio <c>Headers.HeaderOperations</c>: <c>Set</c> and <c>Add</c> are name → value, <c>Remove</c> a list of names.</summary>
    private HeaderOperationsConfig? ReadHeaderOperations(ConfigNode? node)
    {
        if (Object(node, "Set", "Add", "Remove") is not { } fields)
        {
            return null;
        }

        return new HeaderOperationsConfig { Set = StringMap(fields["Set"]), Add = StringMap(fields["Add"]), Remove = StringList(fields["Remove"]) };
    }

    /// <summary>Istio <c>HTTPFaultInjection</c>: <c>Delay.FixedDelay</c>, <c>Abort.HttpStatus</c>, each with a <c>Percentage</c> (default 100).</summary>
    private FaultConfig? ReadFault(ConfigNode? node)
    {
        if (Object(node, "Delay", "Abort") is not { } fields)
        {
            return null;
        }

        var fault = new FaultConfig();
        if (Object(fields["Delay"], "FixedDelay", "Percentage") is { } delay)
        {
            if (Absent(delay["FixedDelay"]))
            {
                Missing(fields["Delay"]!, "FixedDelay");
            }

            fault = fault with { Delay = Duration(delay["FixedDelay"]), DelayPercentage = Double(delay["Percentage"]) ?? FaultDefaults.DelayPercentage };
        }

        if (Object(fields["Abort"], "HttpStatus", "Percentage") is { } abort)
        {
            if (Absent(abort["HttpStatus"]))
            {
                Missing(fields["Abort"]!, "HttpStatus");
            }

            fault = fault with { AbortStatus = Int(abort["HttpStatus"]), AbortPercentage = Double(abort["Percentage"]) ?? FaultDefaults.AbortPercentage };
        }

        return fault;
    }

    /// <summary>
    /// Istio <c>HTTPRetry</c>. <c>Attempts</c> is required: Istio reads a missing one as 0 (no retries), which
    /// surprises anyone who wrote only <c>RetryOn</c>.
    /// </summary>
    private RetryConfig? ReadRetries(ConfigNode? node)
    {
        if (Object(node, "Attempts", "PerTryTimeout", "RetryOn") is not { } fields)
        {
            return null;
        }

        if (Absent(fields["Attempts"]))
        {
            Missing(node!, "Attempts");
        }

        var retries = new RetryConfig { Attempts = Int(fields["Attempts"]) ?? 0, PerTryTimeout = Duration(fields["PerTryTimeout"]) };
        var retryOn = fields["RetryOn"];
        if (retryOn is { Children.Count: > 0 })
        {
            retries = retries with { RetryOn = StringList(retryOn) };
        }
        else if (String(retryOn) is { } conditions)
        {
            // Envoy's retry_on: a comma-separated list, as Istio writes it.
            retries = retries with { RetryOn = conditions.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
        }

        return retries;
    }

    /// <summary>Istio <c>mirrors</c>: a destination and a <c>Percentage</c> (default 100).</summary>
    private List<MirrorConfig> ReadMirrors(ConfigNode? node)
    {
        var mirrors = new List<MirrorConfig>();
        foreach (var item in List(node))
        {
            var fields = Object(item, "Destination", "Percentage") ?? ConfigObject.Empty;
            var percentage = Double(fields["Percentage"]) ?? 100;
            if (ReadDestination(item, fields["Destination"], 100) is { } destination)
            {
                mirrors.Add(new MirrorConfig(destination, percentage));
            }
        }

        return mirrors;
    }

    /// <summary>Istio <c>CorsPolicy</c>; <c>UnmatchedPreflights</c> is <c>Forward</c> (the default) or <c>Ignore</c>.</summary>
    private CorsConfig? ReadCors(ConfigNode? node)
    {
        if (Object(node, "AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "MaxAge", "AllowCredentials", "UnmatchedPreflights") is not { } fields)
        {
            return null;
        }

        var origins = new List<StringMatchConfig>();
        foreach (var item in List(fields["AllowOrigins"]))
        {
            if (StringMatch(item) is { } origin)
            {
                origins.Add(origin);
            }
            else if (item.IsEmpty)
            {
                Error(item, "give one of Exact, Prefix or Regex");
            }
        }

        return new CorsConfig
        {
            AllowOrigins = origins,
            AllowMethods = StringList(fields["AllowMethods"]),
            AllowHeaders = StringList(fields["AllowHeaders"]),
            ExposeHeaders = StringList(fields["ExposeHeaders"]),
            MaxAge = Duration(fields["MaxAge"]),
            AllowCredentials = Bool(fields["AllowCredentials"]) ?? CorsDefaults.AllowCredentials,
            ForwardUnmatchedPreflights = OneOf(fields["UnmatchedPreflights"], "Forward", "Ignore") is { } unmatched
                ? unmatched == "Forward"
                : CorsDefaults.ForwardUnmatchedPreflights,
        };
    }
}
