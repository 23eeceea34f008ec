using Gateway.Middleware.Authentication;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// RequestAuthentication → JWT rules. <c>selector</c>, <c>targetRef</c> and <c>targetRefs</c> are accepted and
/// every rule applies to the gateway, whatever its namespace (the gateway is the one workload they could
/// select). Field checks that do not depend on YAML (issuer, keys, header names) run in the gateway's
/// validator, with this resource and field named in the message.
/// </summary>
internal sealed partial class YamlModelBuilder
{
    private List<JwtRuleConfig> BuildJwtRules()
    {
        var rules = new List<JwtRuleConfig>();
        foreach (var resource in OldestFirst(YamlKinds.IstioSecurity, "RequestAuthentication"))
        {
            // A resource the schema check refused is left out rather than validated again with fields missing.
            var prefix = resource.Source + ":";
            if (_diagnostics.Errors.Any(e => e.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var (i, rule) in Maps(resource.Spec, "jwtRules"))
            {
                var path = Index("spec.jwtRules", i);
                var timeout = JwtRuleConfig.DefaultTimeout;
                if (String(rule, "timeout") is { } text)
                {
                    if (!YamlDuration.TryParseIstio(text, out timeout, out _))
                    {
                        // The shape check has reported it.
                        continue;
                    }

                    if (timeout <= TimeSpan.Zero)
                    {
                        _diagnostics.Error(resource, $"{path}.timeout", $"must be positive, got {text}");
                        continue;
                    }
                }

                rules.Add(new JwtRuleConfig(String(rule, "issuer") ?? "")
                {
                    Audiences = Strings(rule, "audiences"),
                    Jwks = String(rule, "jwks"),
                    JwksUri = String(rule, "jwksUri"),
                    FromHeaders = [.. Maps(rule, "fromHeaders").Select(h => new JwtHeaderLocation(String(h.Item, "name") ?? "", String(h.Item, "prefix") ?? ""))],
                    FromParams = Strings(rule, "fromParams"),
                    FromCookies = Strings(rule, "fromCookies"),
                    ForwardOriginalToken = Bool(rule, "forwardOriginalToken") ?? false,
                    OutputPayloadToHeader = String(rule, "outputPayloadToHeader"),
                    OutputClaimToHeaders = [.. Maps(rule, "outputClaimToHeaders").Select(c => new JwtClaimToHeader(String(c.Item, "header") ?? "", String(c.Item, "claim") ?? ""))],
                    Timeout = timeout,
                    Source = $"{resource.Source}: {path}",
                });
            }
        }

        return rules;
    }
}
