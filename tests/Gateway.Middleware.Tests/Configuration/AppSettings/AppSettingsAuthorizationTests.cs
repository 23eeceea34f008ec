using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary><c>Gateway:AuthorizationPolicies</c> in appsettings.json: the same policies as the builder and YAML.</summary>
public sealed class AppSettingsAuthorizationTests
{
    [Fact]
    public void Load_EveryField_Mapped()
    {
        var config = AppSettings.Config("""
            {"Gateway": {"AuthorizationPolicies": {
              "admins": {
                "Action": "DENY",
                "Rules": [{
                  "From": [{"RequestPrincipals": ["https://issuer/*"], "NotRequestPrincipals": ["https://issuer/bot"], "IpBlocks": ["10.0.0.0/8"],
                            "NotIpBlocks": ["10.1.0.0/16"], "RemoteIpBlocks": ["203.0.113.0/24"], "NotRemoteIpBlocks": ["203.0.113.9"]}],
                  "To": [{"Hosts": ["*.example.com"], "NotHosts": ["a.example.com"], "Ports": [8080], "NotPorts": [8443],
                          "Methods": ["GET"], "NotMethods": ["DELETE"], "Paths": ["/admin*"], "NotPaths": ["/admin/health"]}],
                  "When": [{"Key": "request.auth.claims[groups]", "Values": ["admins"], "NotValues": ["banned"]}]
                }]
              },
              "deny-all": {"Action": "ALLOW"}
            }}}
            """);

        Assert.Equal(2, config.AuthorizationPolicies.Count);
        var admins = config.AuthorizationPolicies.Single(p => p.Name == "admins");
        Assert.Equal(AuthorizationPolicyAction.Deny, admins.Action);
        Assert.Equal("Gateway:AuthorizationPolicies:admins", admins.Source);
        var rule = Assert.Single(admins.Rules);
        var source = Assert.Single(rule.From);
        Assert.Equal(["https://issuer/*"], source.RequestPrincipals);
        Assert.Equal(["https://issuer/bot"], source.NotRequestPrincipals);
        Assert.Equal(["10.0.0.0/8"], source.IpBlocks);
        Assert.Equal(["10.1.0.0/16"], source.NotIpBlocks);
        Assert.Equal(["203.0.113.0/24"], source.RemoteIpBlocks);
        Assert.Equal(["203.0.113.9"], source.NotRemoteIpBlocks);
        var operation = Assert.Single(rule.To);
        Assert.Equal(["*.example.com"], operation.Hosts);
        Assert.Equal(["a.example.com"], operation.NotHosts);
        Assert.Equal([8080], operation.Ports);
        Assert.Equal([8443], operation.NotPorts);
        Assert.Equal(["GET"], operation.Methods);
        Assert.Equal(["DELETE"], operation.NotMethods);
        Assert.Equal(["/admin*"], operation.Paths);
        Assert.Equal(["/admin/health"], operation.NotPaths);
        var condition = Assert.Single(rule.When);
        Assert.Equal(("request.auth.claims[groups]", "admins", "banned"), (condition.Key, condition.Values.Single(), condition.NotValues.Single()));

        var denyAll = config.AuthorizationPolicies.Single(p => p.Name == "deny-all");
        Assert.Equal(AuthorizationPolicyAction.Allow, denyAll.Action);
        Assert.Empty(denyAll.Rules);
    }

    [Fact]
    public void Load_EmptyPolicyAndEmptyRule_SpecEmptyAndRulesEmptyObject()
    {
        var config = AppSettings.Config("""{"Gateway": {"AuthorizationPolicies": {"deny-all": {}, "allow-all": {"Rules": [{}]}}}}""");

        Assert.Empty(config.AuthorizationPolicies.Single(p => p.Name == "deny-all").Rules);
        var rule = Assert.Single(config.AuthorizationPolicies.Single(p => p.Name == "allow-all").Rules);
        Assert.Equal(0, rule.From.Count + rule.To.Count + rule.When.Count);
    }

    [Theory]
    [InlineData("""{"Action": "CUSTOM"}""", "Gateway:AuthorizationPolicies:p:Action: 'CUSTOM' is not")]
    [InlineData("""{"Rules": [{"From": [{"ServiceAccounts": ["a"]}]}]}""", "Gateway:AuthorizationPolicies:p:Rules:0:From:0:ServiceAccounts: unknown field")]
    [InlineData("""{"Rules": [{"To": [{"Paths": ["/a/{**}/b"]}]}]}""", "Gateway:AuthorizationPolicies:p: rules[0].to[0].operation.paths[0]: '/a/{**}/b' is not a valid path template")]
    public void Load_Invalid_ErrorNamesSectionPath(string policy, string expected)
    {
        var errors = AppSettings.Errors("""{"Gateway": {"AuthorizationPolicies": {"p": """ + policy + "}}}");

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
