using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// Istio AuthorizationPolicy YAML → gateway policies: every supported field, selector/targetRefs applied to the
/// gateway, mesh-identity fields and CUSTOM rejected, errors at their YAML path.
/// </summary>
public sealed class AuthorizationPolicyYamlTests
{
    [Fact]
    public void Load_EveryField_Mapped()
    {
        var config = Yaml.Config("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: full, namespace: istio-system}
            spec:
              selector: {matchLabels: {istio: ingressgateway}}
              action: DENY
              rules:
              - from:
                - source:
                    requestPrincipals: ["https://issuer/*"]
                    notRequestPrincipals: ["https://issuer/bot"]
                    ipBlocks: ["10.0.0.0/8"]
                    notIpBlocks: ["10.1.0.0/16"]
                    remoteIpBlocks: ["203.0.113.0/24"]
                    notRemoteIpBlocks: ["203.0.113.9"]
                to:
                - operation:
                    hosts: ["*.example.com"]
                    notHosts: ["internal.example.com"]
                    ports: ["8080"]
                    notPorts: ["8443"]
                    methods: [GET]
                    notMethods: [DELETE]
                    paths: ["/admin/{**}"]
                    notPaths: ["/admin/health"]
                when:
                - key: request.auth.claims[groups]
                  values: [admins]
                  notValues: [banned]
            """);

        var policy = Assert.Single(config.AuthorizationPolicies);
        Assert.Equal("istio-system/full", policy.Name);
        Assert.Equal(AuthorizationPolicyAction.Deny, policy.Action);
        Assert.Equal("test.yaml#1 AuthorizationPolicy istio-system/full", policy.Source);
        var rule = Assert.Single(policy.Rules);
        var source = Assert.Single(rule.From);
        Assert.Equal(["https://issuer/*"], source.RequestPrincipals);
        Assert.Equal(["https://issuer/bot"], source.NotRequestPrincipals);
        Assert.Equal(["10.0.0.0/8"], source.IpBlocks);
        Assert.Equal(["10.1.0.0/16"], source.NotIpBlocks);
        Assert.Equal(["203.0.113.0/24"], source.RemoteIpBlocks);
        Assert.Equal(["203.0.113.9"], source.NotRemoteIpBlocks);
        var operation = Assert.Single(rule.To);
        Assert.Equal(["*.example.com"], operation.Hosts);
        Assert.Equal(["internal.example.com"], operation.NotHosts);
        Assert.Equal([8080], operation.Ports);
        Assert.Equal([8443], operation.NotPorts);
        Assert.Equal(["GET"], operation.Methods);
        Assert.Equal(["DELETE"], operation.NotMethods);
        Assert.Equal(["/admin/{**}"], operation.Paths);
        Assert.Equal(["/admin/health"], operation.NotPaths);
        var condition = Assert.Single(rule.When);
        Assert.Equal("request.auth.claims[groups]", condition.Key);
        Assert.Equal(["admins"], condition.Values);
        Assert.Equal(["banned"], condition.NotValues);
    }

    [Theory]
    [InlineData("spec: {}", "Allow", 0)] // deny-all: an ALLOW policy without rules
    [InlineData("spec: {rules: [{}]}", "Allow", 1)] // allow-all
    [InlineData("spec: {action: AUDIT, rules: [{}]}", "Audit", 1)]
    [InlineData("spec: {action: DENY, targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}], rules: [{}]}", "Deny", 1)]
    public void Load_ActionAndRules_Table(string spec, string action, int rules)
    {
        var config = Yaml.Config($"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: p}}\n{spec}");

        var policy = Assert.Single(config.AuthorizationPolicies);
        Assert.Equal(action, policy.Action.ToString());
        Assert.Equal(rules, policy.Rules.Count);
        Assert.All(policy.Rules, r => Assert.True(r.From.Count + r.To.Count + r.When.Count == 0));
    }

    [Theory]
    [InlineData("{action: CUSTOM, provider: {name: ext}, rules: [{}]}", "spec.action: CUSTOM (external authorization) is not supported")]
    [InlineData("{rules: [{from: [{source: {serviceAccounts: [a]}}]}]}", "spec.rules[0].from[0].source.serviceAccounts: not supported at the gateway")]
    [InlineData("{rules: [{from: [{source: {notServiceAccounts: [a]}}]}]}", "spec.rules[0].from[0].source.notServiceAccounts: not supported at the gateway")]
    [InlineData("{rules: [{to: [{operation: {ports: [http]}}]}]}", "spec.rules[0].to[0].operation.ports[0]: 'http' is not a port between 1 and 65535")]
    [InlineData("{rules: [{from: [{source: {ipBlocks: [10.0.0.0/33]}}]}]}", "spec.rules[0].from[0].source.ipBlocks[0]: '10.0.0.0/33' is not a valid CIDR block")]
    [InlineData("{rules: [{to: [{operation: {paths: [\"/a/{**}/b\"]}}]}]}", "spec.rules[0].to[0].operation.paths[0]: '/a/{**}/b' is not a valid path template")]
    [InlineData("{rules: [{when: [{key: source.user, values: [a]}]}]}", "spec.rules[0].when[0].key: 'source.user' is not supported at the gateway")]
    [InlineData("{rules: [{when: [{key: \"request.auth.claims[a]\"}]}]}", "spec.rules[0].when[0]: at least one of values or notValues must be set")]
    public void Load_Invalid_ErrorAtYamlPath(string spec, string expected)
    {
        var result = Yaml.Load($"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: p}}\nspec: {spec}");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("test.yaml#1 AuthorizationPolicy default/p: " + expected, error, StringComparison.Ordinal);
    }
}
