namespace Gateway.Middleware.Authorization;

/// <summary>
/// Turns <see cref="AuthorizationPolicyConfig"/>s into an <see cref="RbacEngine"/>, reporting every invalid
/// value with its field path (Istio's AuthorizationPolicy validation where it applies).
/// </summary>
internal static partial class RbacCompiler
{
    public static RbacEngine Compile(IReadOnlyList<AuthorizationPolicyConfig> policies, List<string> errors)
    {
        if (policies.Count == 0)
        {
            return RbacEngine.Empty;
        }

        var compiled = new List<RbacPolicy>(policies.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            var where = policy.Source.Length > 0 ? policy.Source : $"authorization policy '{policy.Name}'";
            if (string.IsNullOrWhiteSpace(policy.Name))
            {
                errors.Add($"{where}: name must not be empty");
            }
            else if (!names.Add(policy.Name))
            {
                errors.Add($"{where}: duplicate authorization policy name '{policy.Name}'");
            }

            if (policy.Action == AuthorizationPolicyAction.Custom)
            {
                errors.Add($"{where}: {policy.FieldPrefix}action: CUSTOM (external authorization) is not supported");
                continue;
            }

            var rules = new RbacMatcher[policy.Rules.Count];
            for (var i = 0; i < rules.Length; i++)
            {
                rules[i] = CompileRule(policy.Rules[i], $"{where}: {policy.FieldPrefix}rules[{i}]", errors);
            }

            compiled.Add(new RbacPolicy(policy.Name, policy.Action, rules.Length == 0 ? null : Or(rules)));
        }

        return new RbacEngine(compiled);
    }

    private static RbacMatcher CompileRule(AuthorizationPolicyRuleConfig rule, string where, List<string> errors)
    {
        var parts = new List<RbacMatcher>(3);
        if (rule.From.Count > 0)
        {
            var sources = new RbacMatcher[rule.From.Count];
            for (var i = 0; i < sources.Length; i++)
            {
                sources[i] = CompileSource(rule.From[i], $"{where}.from[{i}].source", errors);
            }

            parts.Add(Or(sources));
        }

        if (rule.To.Count > 0)
        {
            var operations = new RbacMatcher[rule.To.Count];
            for (var i = 0; i < operations.Length; i++)
            {
                operations[i] = CompileOperation(rule.To[i], $"{where}.to[{i}].operation", errors);
            }

            parts.Add(Or(operations));
        }

        for (var i = 0; i < rule.When.Count; i++)
        {
            parts.Add(CompileCondition(rule.When[i], $"{where}.when[{i}]", errors));
        }

        return And(parts);
    }

    private static RbacMatcher CompileSource(AuthorizationPolicySourceConfig source, string where, List<string> errors)
    {
        if (source.IsEmpty)
        {
            // Istio rejects an empty source: it would silently match everything.
            errors.Add($"{where}: must not be empty");
        }

        var parts = new List<RbacMatcher>();
        AddField(parts, source.RequestPrincipals, negate: false, p => new RbacPrincipalMatcher(Patterns(p, $"{where}.requestPrincipals", errors)));
        AddField(parts, source.NotRequestPrincipals, negate: true, p => new RbacPrincipalMatcher(Patterns(p, $"{where}.notRequestPrincipals", errors)));
        AddField(parts, source.IpBlocks, negate: false, p => new RbacIpMatcher(Blocks(p, $"{where}.ipBlocks", errors), RbacAddressKind.Peer));
        AddField(parts, source.NotIpBlocks, negate: true, p => new RbacIpMatcher(Blocks(p, $"{where}.notIpBlocks", errors), RbacAddressKind.Peer));
        AddField(parts, source.RemoteIpBlocks, negate: false, p => new RbacIpMatcher(Blocks(p, $"{where}.remoteIpBlocks", errors), RbacAddressKind.Remote));
        AddField(parts, source.NotRemoteIpBlocks, negate: true, p => new RbacIpMatcher(Blocks(p, $"{where}.notRemoteIpBlocks", errors), RbacAddressKind.Remote));
        AddField(parts, source.Principals, negate: false, p => new RbacPeerMatcher(Patterns(p, $"{where}.principals", errors), matchNamespace: false));
        AddField(parts, source.NotPrincipals, negate: true, p => new RbacPeerMatcher(Patterns(p, $"{where}.notPrincipals", errors), matchNamespace: false));
        AddField(parts, source.Namespaces, negate: false, p => new RbacPeerMatcher(Patterns(p, $"{where}.namespaces", errors), matchNamespace: true));
        AddField(parts, source.NotNamespaces, negate: true, p => new RbacPeerMatcher(Patterns(p, $"{where}.notNamespaces", errors), matchNamespace: true));
        return And(parts);
    }

    private static RbacMatcher CompileOperation(AuthorizationPolicyOperationConfig operation, string where, List<string> errors)
    {
        if (operation.IsEmpty)
        {
            errors.Add($"{where}: must not be empty");
        }

        var parts = new List<RbacMatcher>();
        AddField(parts, operation.Hosts, negate: false, h => Hosts(h, $"{where}.hosts", errors));
        AddField(parts, operation.NotHosts, negate: true, h => Hosts(h, $"{where}.notHosts", errors));
        AddField(parts, operation.Ports, negate: false, p => new RbacPortMatcher(Ports(p, $"{where}.ports", errors)));
        AddField(parts, operation.NotPorts, negate: true, p => new RbacPortMatcher(Ports(p, $"{where}.notPorts", errors)));
        AddField(parts, operation.Methods, negate: false, m => new RbacMethodMatcher(Methods(m, $"{where}.methods", errors)));
        AddField(parts, operation.NotMethods, negate: true, m => new RbacMethodMatcher(Methods(m, $"{where}.notMethods", errors)));
        AddField(parts, operation.Paths, negate: false, p => new RbacPathMatcher(Paths(p, $"{where}.paths", errors)));
        AddField(parts, operation.NotPaths, negate: true, p => new RbacPathMatcher(Paths(p, $"{where}.notPaths", errors)));
        return And(parts);
    }

    private static void AddField<T>(List<RbacMatcher> parts, IReadOnlyList<T> values, bool negate, Func<IReadOnlyList<T>, RbacMatcher> create)
    {
        if (values.Count == 0)
        {
            return;
        }

        var matcher = create(values);
        parts.Add(negate ? new RbacNotMatcher(matcher) : matcher);
    }

    private static RbacMatcher And(List<RbacMatcher> parts) => parts.Count switch
    {
        0 => RbacAnyMatcher.Instance,
        1 => parts[0],
        _ => new RbacAndMatcher([.. parts]),
    };

    private static RbacMatcher Or(RbacMatcher[] alternatives) => alternatives.Length == 1 ? alternatives[0] : new RbacOrMatcher(alternatives);
}
