using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>
/// <c>Gateway:AuthorizationPolicies:{name}</c>: an Istio AuthorizationPolicy, as
/// <c>AddAuthorizationPolicy(name, ...)</c>: <c>Action</c> (ALLOW, DENY, AUDIT), <c>Rules</c> with <c>From</c>,
/// <c>To</c> and <c>When</c> in Istio's field names. A policy with no <c>Rules</c> denies everything when it is
/// an ALLOW policy; an empty rule (<c>"Rules": [{}]</c>) matches every request.
/// </summary>
internal sealed partial class AppSettingsModelBuilder
{
    private List<AuthorizationPolicyConfig> ReadAuthorizationPolicies(ConfigNode? node)
    {
        var policies = new List<AuthorizationPolicyConfig>();
        foreach (var entry in Map(node))
        {
            var fields = Object(entry, "Action", "Rules") ?? ConfigObject.Empty;
            var action = OneOf(fields["Action"], "ALLOW", "DENY", "AUDIT") switch
            {
                "DENY" => AuthorizationPolicyAction.Deny,
                "AUDIT" => AuthorizationPolicyAction.Audit,
                _ => AuthorizationPolicyAction.Allow,
            };
            var rules = new List<AuthorizationPolicyRuleConfig>();
            foreach (var rule in List(fields["Rules"]))
            {
                rules.Add(ReadAuthorizationRule(rule));
            }

            policies.Add(new AuthorizationPolicyConfig { Name = entry.Key, Action = action, Rules = rules, Source = entry.Path, FieldPrefix = "" });
        }

        return policies;
    }

    private AuthorizationPolicyRuleConfig ReadAuthorizationRule(ConfigNode node)
    {
        var fields = Object(node, "From", "To", "When") ?? ConfigObject.Empty;
        var from = new List<AuthorizationPolicySourceConfig>();
        foreach (var item in List(fields["From"]))
        {
            var source = Object(item, "RequestPrincipals", "NotRequestPrincipals", "IpBlocks", "NotIpBlocks", "RemoteIpBlocks", "NotRemoteIpBlocks", "Principals", "NotPrincipals", "Namespaces", "NotNamespaces") ?? ConfigObject.Empty;
            from.Add(new AuthorizationPolicySourceConfig
            {
                RequestPrincipals = StringList(source["RequestPrincipals"]),
                NotRequestPrincipals = StringList(source["NotRequestPrincipals"]),
                IpBlocks = StringList(source["IpBlocks"]),
                NotIpBlocks = StringList(source["NotIpBlocks"]),
                RemoteIpBlocks = StringList(source["RemoteIpBlocks"]),
                NotRemoteIpBlocks = StringList(source["NotRemoteIpBlocks"]),
                Principals = StringList(source["Principals"]),
                NotPrincipals = StringList(source["NotPrincipals"]),
                Namespaces = StringList(source["Namespaces"]),
                NotNamespaces = StringList(source["NotNamespaces"]),
            });
        }

        var to = new List<AuthorizationPolicyOperationConfig>();
        foreach (var item in List(fields["To"]))
        {
            var operation = Object(item, "Hosts", "NotHosts", "Ports", "NotPorts", "Methods", "NotMethods", "Paths", "NotPaths") ?? ConfigObject.Empty;
            to.Add(new AuthorizationPolicyOperationConfig
            {
                Hosts = StringList(operation["Hosts"]),
                NotHosts = StringList(operation["NotHosts"]),
                Ports = IntList(operation["Ports"]),
                NotPorts = IntList(operation["NotPorts"]),
                Methods = StringList(operation["Methods"]),
                NotMethods = StringList(operation["NotMethods"]),
                Paths = StringList(operation["Paths"]),
                NotPaths = StringList(operation["NotPaths"]),
            });
        }

        var when = new List<AuthorizationPolicyConditionConfig>();
        foreach (var item in List(fields["When"]))
        {
            var condition = Object(item, "Key", "Values", "NotValues") ?? ConfigObject.Empty;
            when.Add(new AuthorizationPolicyConditionConfig
            {
                Key = String(condition["Key"]) ?? "",
                Values = StringList(condition["Values"]),
                NotValues = StringList(condition["NotValues"]),
            });
        }

        return new AuthorizationPolicyRuleConfig { From = from, To = to, When = when };
    }

    private List<int> IntList(ConfigNode? node)
    {
        var values = new List<int>();
        foreach (var item in List(node))
        {
            if (Int(item) is { } value)
            {
                values.Add(value);
            }
        }

        return values;
    }
}
