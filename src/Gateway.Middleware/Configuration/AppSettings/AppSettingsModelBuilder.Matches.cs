namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary><c>Match</c>: Istio <c>HTTPMatchRequest</c>s (the list ORs, the fields of one entry AND).</summary>
internal sealed partial class AppSettingsModelBuilder
{
    private List<RouteMatchConfig> ReadMatches(ConfigNode? node)
    {
        var matches = new List<RouteMatchConfig>();
        foreach (var item in List(node))
        {
            var fields = Object(item, "Uri", "Scheme", "Method", "Authority", "Headers", "QueryParams", "WithoutHeaders", "IgnoreUriCase", "Port")
                ?? ConfigObject.Empty;
            matches.Add(new RouteMatchConfig
            {
                Path = StringMatch(fields["Uri"]),
                Scheme = StringMatch(fields["Scheme"]),
                Method = StringMatch(fields["Method"]),
                Authority = StringMatch(fields["Authority"]),
                Headers = NamedMatches(fields["Headers"]),
                QueryParams = NamedMatches(fields["QueryParams"]),
                WithoutHeaders = NamedMatches(fields["WithoutHeaders"]),
                IgnoreUriCase = Bool(fields["IgnoreUriCase"]) ?? false,
                Port = Int(fields["Port"]),
            });
        }

        return matches;
    }

    /// <summary>Istio <c>StringMatch</c>: exactly one of <c>Exact</c>, <c>Prefix</c> (a plain string prefix) or <c>Regex</c> (whole value).</summary>
    private StringMatchConfig? StringMatch(ConfigNode? node)
    {
        if (node is { Children.Count: 0, Value.Length: > 0 })
        {
            Error(node, $"expected an object with one of Exact, Prefix or Regex, got '{node.Value}'");
            return null;
        }

        var errors = _errors.Count;
        if (Object(node, "Exact", "Prefix", "Regex") is not { } fields)
        {
            return null;
        }

        var exact = String(fields["Exact"]);
        var prefix = String(fields["Prefix"]);
        var regex = String(fields["Regex"]);
        var given = (exact is null ? 0 : 1) + (prefix is null ? 0 : 1) + (regex is null ? 0 : 1);
        if (given != 1)
        {
            // None given because of a misspelt key ("Regx") is already reported as unknown.
            if (given > 1 || _errors.Count == errors)
            {
                Error(node!, "give one of Exact, Prefix or Regex");
            }

            return null;
        }

        return exact is not null ? new StringMatchConfig(StringMatchKind.Exact, exact)
            : prefix is not null ? new StringMatchConfig(StringMatchKind.Prefix, prefix)
            : new StringMatchConfig(StringMatchKind.Regex, regex!);
    }

    /// <summary>
    /// <c>Headers</c>, <c>QueryParams</c>, <c>WithoutHeaders</c>: name → <c>StringMatch</c>; <c>{}</c> means the
    /// header or parameter only has to be present (Istio's empty match).
    /// </summary>
    private List<NamedMatchConfig> NamedMatches(ConfigNode? node)
    {
        var matches = new List<NamedMatchConfig>();
        foreach (var entry in Map(node))
        {
            matches.Add(new NamedMatchConfig(entry.Key, entry.IsEmpty ? null : StringMatch(entry)));
        }

        return matches;
    }
}
