namespace Gateway.Middleware.Authorization;

internal static partial class RbacCompiler
{
    private const string ClaimsKey = "request.auth.claims";
    private const string HeadersKey = "request.headers";

    /// <summary>A <c>when</c> condition: one of <c>values</c> (when given) and none of <c>notValues</c>.</summary>
    private static RbacMatcher CompileCondition(AuthorizationPolicyConditionConfig condition, string where, List<string> errors)
    {
        if (condition.Values.Count == 0 && condition.NotValues.Count == 0)
        {
            errors.Add($"{where}: at least one of values or notValues must be set");
            return RbacAnyMatcher.Instance;
        }

        var create = ConditionFactory(condition.Key ?? "", $"{where}.key", errors);
        if (create is null)
        {
            return RbacAnyMatcher.Instance;
        }

        var parts = new List<RbacMatcher>(2);
        if (condition.Values.Count > 0)
        {
            parts.Add(create(condition.Values, $"{where}.values"));
        }

        if (condition.NotValues.Count > 0)
        {
            parts.Add(new RbacNotMatcher(create(condition.NotValues, $"{where}.notValues")));
        }

        return And(parts);
    }

    private static Func<IReadOnlyList<string>, string, RbacMatcher>? ConditionFactory(string key, string where, List<string> errors)
    {
        switch (key)
        {
            case "request.auth.principal":
                return (v, w) => new RbacPrincipalMatcher(Patterns(v, w, errors));
            case "request.auth.audiences":
                return (v, w) => new RbacAudienceMatcher(Patterns(v, w, errors));
            case "request.auth.presenter":
                return (v, w) => new RbacPresenterMatcher(Patterns(v, w, errors));
            case "source.ip":
                return (v, w) => new RbacIpMatcher(Blocks(v, w, errors), RbacAddressKind.Peer);
            case "remote.ip":
                return (v, w) => new RbacIpMatcher(Blocks(v, w, errors), RbacAddressKind.Remote);
            case "destination.port":
                return (v, w) => new RbacPortMatcher(Ports(v, w, errors));
            case "connection.sni":
                return (v, w) => new RbacSniMatcher(Patterns(v, w, errors));
            case "source.principal":
                return (v, w) => new RbacPeerMatcher(Patterns(v, w, errors), matchNamespace: false);
            case "source.namespace":
                return (v, w) => new RbacPeerMatcher(Patterns(v, w, errors), matchNamespace: true);
        }

        if (key.StartsWith(ClaimsKey, StringComparison.Ordinal))
        {
            var path = ParseBrackets(key.AsSpan(ClaimsKey.Length));
            if (path is null)
            {
                errors.Add($"{where}: '{key}' is not valid: expected request.auth.claims[name] or request.auth.claims[a][b]");
                return null;
            }

            return (v, w) => new RbacClaimMatcher(path, Patterns(v, w, errors));
        }

        if (key.StartsWith(HeadersKey, StringComparison.Ordinal))
        {
            var name = ParseBrackets(key.AsSpan(HeadersKey.Length));
            if (name is not { Length: 1 })
            {
                errors.Add($"{where}: '{key}' is not valid: expected request.headers[name]");
                return null;
            }

            return (v, w) => new RbacHeaderMatcher(name[0], Patterns(v, w, errors));
        }

        errors.Add($"{where}: '{key}' is not supported at the gateway; supported: request.auth.claims[...], request.auth.principal, "
            + "request.auth.audiences, request.auth.presenter, request.headers[...], source.ip, remote.ip, source.principal, source.namespace, destination.port, connection.sni");
        return null;
    }

    /// <summary><c>[a][b]</c> → <c>["a", "b"]</c>; null unless the whole text is one or more non-empty bracketed names.</summary>
    private static string[]? ParseBrackets(ReadOnlySpan<char> text)
    {
        var names = new List<string>();
        while (!text.IsEmpty)
        {
            if (text[0] != '[')
            {
                return null;
            }

            var close = text.IndexOf(']');
            if (close <= 1 || text[1..close].IndexOf('[') >= 0)
            {
                return null;
            }

            names.Add(text[1..close].ToString());
            text = text[(close + 1)..];
        }

        return names.Count == 0 ? null : [.. names];
    }
}
