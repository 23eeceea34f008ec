using System.Globalization;
using Gateway.Middleware.Authorization;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// AuthorizationPolicy → gateway authorization policies. <c>selector</c>, <c>targetRef</c> and
/// <c>targetRefs</c> are accepted and every policy applies to the gateway, whatever its namespace.
/// <c>principals</c> and <c>namespaces</c> match the client certificate validated by a MUTUAL or
/// OPTIONAL_MUTUAL server; <c>serviceAccounts</c> and its negation are errors (a DENY rule that silently never
/// matches is worse).
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private static readonly string[] MeshIdentityFields =
        ["serviceAccounts", "notServiceAccounts"];

    private List<AuthorizationPolicyConfig> BuildAuthorizationPolicies()
    {
        var policies = new List<AuthorizationPolicyConfig>();
        foreach (var resource in OldestFirst(YamlKinds.IstioSecurity, "AuthorizationPolicy"))
        {
            var action = String(resource.Spec, "action") switch
            {
                "DENY" => AuthorizationPolicyAction.Deny,
                "AUDIT" => AuthorizationPolicyAction.Audit,
                "CUSTOM" => AuthorizationPolicyAction.Custom,
                _ => AuthorizationPolicyAction.Allow,
            };
            if (action == AuthorizationPolicyAction.Custom)
            {
                _diagnostics.Error(resource, "spec.action", "CUSTOM (external authorization) is not supported");
                continue;
            }

            var errorsBefore = _diagnostics.ErrorCount;
            var rules = new List<AuthorizationPolicyRuleConfig>();
            foreach (var (i, rule) in Maps(resource.Spec, "rules"))
            {
                rules.Add(AuthorizationRule(resource, Index("spec.rules", i), rule));
            }

            // A policy already reported (schema or mapping) is left out rather than validated a second time
            // with fields missing, which would only add misleading errors.
            if (_diagnostics.ErrorCount != errorsBefore || HasErrors(resource))
            {
                continue;
            }

            policies.Add(new AuthorizationPolicyConfig
            {
                Name = resource.QualifiedName,
                Action = action,
                Rules = rules,
                Source = resource.Source,
                FieldPrefix = "spec.",
            });
        }

        return policies;
    }

    private AuthorizationPolicyRuleConfig AuthorizationRule(YamlResource resource, string path, YamlDotNet.RepresentationModel.YamlMappingNode rule)
    {
        var from = new List<AuthorizationPolicySourceConfig>();
        foreach (var (i, entry) in Maps(rule, "from"))
        {
            var source = Map(entry, "source");
            foreach (var field in MeshIdentityFields)
            {
                if (Has(source, field))
                {
                    _diagnostics.Error(resource, $"{Index($"{path}.from", i)}.source.{field}", "not supported at the gateway: use principals (cluster.local/ns/<namespace>/sa/<name>)");
                }
            }

            from.Add(new AuthorizationPolicySourceConfig
            {
                RequestPrincipals = Strings(source, "requestPrincipals"),
                NotRequestPrincipals = Strings(source, "notRequestPrincipals"),
                IpBlocks = Strings(source, "ipBlocks"),
                NotIpBlocks = Strings(source, "notIpBlocks"),
                RemoteIpBlocks = Strings(source, "remoteIpBlocks"),
                NotRemoteIpBlocks = Strings(source, "notRemoteIpBlocks"),
                Principals = Strings(source, "principals"),
                NotPrincipals = Strings(source, "notPrincipals"),
                Namespaces = Strings(source, "namespaces"),
                NotNamespaces = Strings(source, "notNamespaces"),
            });
        }

        var to = new List<AuthorizationPolicyOperationConfig>();
        foreach (var (i, entry) in Maps(rule, "to"))
        {
            var operation = Map(entry, "operation");
            var where = $"{Index($"{path}.to", i)}.operation";
            to.Add(new AuthorizationPolicyOperationConfig
            {
                Hosts = Strings(operation, "hosts"),
                NotHosts = Strings(operation, "notHosts"),
                Ports = PolicyPorts(resource, $"{where}.ports", operation, "ports"),
                NotPorts = PolicyPorts(resource, $"{where}.notPorts", operation, "notPorts"),
                Methods = Strings(operation, "methods"),
                NotMethods = Strings(operation, "notMethods"),
                Paths = Strings(operation, "paths"),
                NotPaths = Strings(operation, "notPaths"),
            });
        }

        var when = new List<AuthorizationPolicyConditionConfig>();
        foreach (var (_, condition) in Maps(rule, "when"))
        {
            when.Add(new AuthorizationPolicyConditionConfig
            {
                Key = String(condition, "key") ?? "",
                Values = Strings(condition, "values"),
                NotValues = Strings(condition, "notValues"),
            });
        }

        return new AuthorizationPolicyRuleConfig { From = from, To = to, When = when };
    }

    private bool HasErrors(YamlResource resource)
    {
        var prefix = resource.Source + ":";
        foreach (var error in _diagnostics.Errors)
        {
            if (error.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private List<int> PolicyPorts(YamlResource resource, string path, YamlDotNet.RepresentationModel.YamlMappingNode? operation, string key)
    {
        var ports = new List<int>();
        var values = Strings(operation, key);
        for (var i = 0; i < values.Count; i++)
        {
            if (int.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
            {
                ports.Add(port);
            }
            else
            {
                _diagnostics.Error(resource, Index(path, i), $"'{values[i]}' is not a port between 1 and 65535");
            }
        }

        return ports;
    }
}
