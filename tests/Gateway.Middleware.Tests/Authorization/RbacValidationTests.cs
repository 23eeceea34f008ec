using Gateway.Middleware.Authorization;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.Authorization;

/// <summary>Invalid policies stop the configuration with every error listed, each naming the policy and field.</summary>
public sealed class RbacValidationTests
{
    [Theory]
    [InlineData("from-ip", "rules[0].from[0].source.ipBlocks[0]: '10.0.0.0/40' is not a valid CIDR block")]
    [InlineData("from-empty", "rules[0].from[0].source: must not be empty")]
    [InlineData("to-empty", "rules[0].to[0].operation: must not be empty")]
    [InlineData("to-path", "rules[0].to[0].operation.paths[0]: '/a/{**}/b' is not a valid path template")]
    [InlineData("to-port", "rules[0].to[0].operation.ports[0]: port must be between 1 and 65535, got 0")]
    [InlineData("principal", "rules[0].from[0].source.requestPrincipals[0]: 'a*b': '*' is only allowed")]
    [InlineData("when-key", "rules[0].when[0].key: 'source.user' is not supported at the gateway")]
    [InlineData("when-claim", "rules[0].when[0].key: 'request.auth.claims[]' is not valid")]
    [InlineData("when-header", "rules[0].when[0].key: 'request.headers[a][b]' is not valid")]
    [InlineData("when-empty", "rules[0].when[0]: at least one of values or notValues must be set")]
    [InlineData("when-port", "rules[0].when[0].values[0]: 'http' is not a port between 1 and 65535")]
    [InlineData("when-ip", "rules[0].when[0].notValues[0]: 'x' is not a valid IP address or CIDR block")]
    [InlineData("custom", "action: CUSTOM (external authorization) is not supported")]
    public void Validate_InvalidPolicy_ErrorNamesPolicyAndField(string name, string expected)
    {
        var rule = name switch
        {
            "from-ip" => new AuthorizationPolicyRuleConfig { From = [new() { IpBlocks = ["10.0.0.0/40"] }] },
            "from-empty" => new AuthorizationPolicyRuleConfig { From = [new()] },
            "to-empty" => new AuthorizationPolicyRuleConfig { To = [new()] },
            "to-path" => new AuthorizationPolicyRuleConfig { To = [new() { Paths = ["/a/{**}/b"] }] },
            "to-port" => new AuthorizationPolicyRuleConfig { To = [new() { Ports = [0] }] },
            "principal" => new AuthorizationPolicyRuleConfig { From = [new() { RequestPrincipals = ["a*b"] }] },
            "when-key" => Condition("source.user", ["x"]),
            "when-claim" => Condition("request.auth.claims[]", ["x"]),
            "when-header" => Condition("request.headers[a][b]", ["x"]),
            "when-empty" => Condition("request.auth.claims[a]", []),
            "when-port" => Condition("destination.port", ["http"]),
            "when-ip" => Condition("source.ip", [], ["x"]),
            _ => new AuthorizationPolicyRuleConfig(),
        };
        var policy = new AuthorizationPolicyConfig
        {
            Name = name,
            Action = name == "custom" ? AuthorizationPolicyAction.Custom : AuthorizationPolicyAction.Allow,
            Rules = [rule],
        };

        var errors = GatewayConfigValidator.Validate(new GatewayConfig([], []) { AuthorizationPolicies = [policy] });

        var error = Assert.Single(errors);
        Assert.StartsWith($"authorization policy '{name}': ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralInvalidPolicies_EveryErrorListed()
    {
        AuthorizationPolicyConfig[] policies =
        [
            new() { Name = "a", Rules = [new() { From = [new() { IpBlocks = ["bad", "also-bad"] }] }] },
            new() { Name = "a", Action = AuthorizationPolicyAction.Custom },
        ];

        var exception = Assert.Throws<GatewayConfigurationException>(
            () => GatewayConfigCompiler.Compile(new GatewayConfig([], []) { AuthorizationPolicies = policies }));

        Assert.Equal(4, exception.Errors.Count);
        Assert.Contains(exception.Errors, e => e.Contains("duplicate authorization policy name 'a'", StringComparison.Ordinal));
    }

    private static AuthorizationPolicyRuleConfig Condition(string key, string[] values, string[]? notValues = null)
        => new() { When = [new() { Key = key, Values = values, NotValues = notValues ?? [] }] };
}
