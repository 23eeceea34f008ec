using Gateway.Middleware.Configuration;
using Gateway.Middleware.Tests.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Authentication;

/// <summary>Istio RequestAuthentication (security.istio.io) → JWT rules; selector/targetRefs accepted, applied to the gateway.</summary>
public sealed class RequestAuthenticationYamlTests
{
    private const string Resource = """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: jwt-example, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          jwtRules:
          - issuer: testing@secure.istio.io
            jwksUri: https://issuer.example.com/jwks.json
            audiences: [app, web]
            forwardOriginalToken: true
            fromHeaders: [{name: x-jwt, prefix: "Bearer "}]
            fromParams: [token]
            fromCookies: [session]
            outputPayloadToHeader: x-jwt-payload
            outputClaimToHeaders: [{header: x-sub, claim: sub}, {header: x-tenant, claim: org.tenant}]
            timeout: 1.5s
          - issuer: other@example.com
            jwksUri: https://other.example.com/jwks.json
        """;

    [Fact]
    public void Load_RequestAuthentication_EveryFieldMapped()
    {
        var result = Yaml.Load(Resource);

        Assert.Empty(result.Errors);
        var rule = result.Config.JwtRules[0];
        Assert.Equal("testing@secure.istio.io", rule.Issuer);
        Assert.Equal("https://issuer.example.com/jwks.json", rule.JwksUri);
        Assert.Equal(["app", "web"], rule.Audiences);
        Assert.True(rule.ForwardOriginalToken);
        Assert.Equal([new("x-jwt", "Bearer ")], rule.FromHeaders);
        Assert.Equal(["token"], rule.FromParams);
        Assert.Equal(["session"], rule.FromCookies);
        Assert.Equal("x-jwt-payload", rule.OutputPayloadToHeader);
        Assert.Equal([new("x-sub", "sub"), new("x-tenant", "org.tenant")], rule.OutputClaimToHeaders);
        Assert.Equal(TimeSpan.FromSeconds(1.5), rule.Timeout);
        Assert.Equal("test.yaml#1 RequestAuthentication istio-system/jwt-example: spec.jwtRules[0]", rule.Source);
        Assert.Equal(TimeSpan.FromSeconds(5), result.Config.JwtRules[1].Timeout);
    }

    [Fact]
    public void Validate_YamlRuleErrors_NameResourceAndField()
    {
        var config = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: ra}
            spec:
              jwtRules:
              - issuer: a
              - issuer: b
                jwks: '{"keys":[]}'
                jwksUri: https://b.example.com/jwks
              - issuer: c
                jwks: 'not json'
            """).Config;

        var errors = GatewayConfigValidator.Validate(config);

        Assert.Contains("test.yaml#1 RequestAuthentication default/ra: spec.jwtRules[0]: jwks or jwksUri is required when the issuer 'a' is not an absolute http or https URI (OIDC discovery)", errors);
        Assert.Contains("test.yaml#1 RequestAuthentication default/ra: spec.jwtRules[1]: set either jwks or jwksUri, not both", errors);
        Assert.Contains(errors, e => e.StartsWith("test.yaml#1 RequestAuthentication default/ra: spec.jwtRules[2]: jwks: Jwks is an invalid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ZeroTimeout_Error()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: ra}
            spec: {jwtRules: [{issuer: a, jwksUri: "https://a.example.com/jwks", timeout: 0s}]}
            """);

        Assert.Contains("test.yaml#1 RequestAuthentication default/ra: spec.jwtRules[0].timeout: must be positive, got 0s", result.Errors);
    }
}
