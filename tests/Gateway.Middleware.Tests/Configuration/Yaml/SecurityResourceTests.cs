namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// security.istio.io RequestAuthentication and AuthorizationPolicy: checked strictly against the protos and
/// mapped to JWT rules and authorization policies.
/// </summary>
public sealed class SecurityResourceTests
{
    private const string Policies = """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: jwt-example, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          jwtRules:
          - issuer: testing@secure.istio.io
            jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.24/security/tools/jwt/samples/jwks.json
            audiences: [app]
            forwardOriginalToken: true
            fromHeaders: [{name: x-jwt, prefix: "Bearer "}]
            fromParams: [token]
            outputClaimToHeaders: [{header: x-sub, claim: sub}]
            timeout: 5s
        ---
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata: {name: require-jwt, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: ALLOW
          rules:
          - from: [{source: {requestPrincipals: ["testing@secure.istio.io/testing@secure.istio.io"]}}]
            to: [{operation: {paths: ["/headers"], methods: [GET], notPorts: ["8443"]}}]
            when: [{key: "request.auth.claims[groups]", values: [group1]}]
        """;

    [Fact]
    public void Load_RequestAuthenticationAndAuthorizationPolicy_Mapped()
    {
        var result = Yaml.Load(Policies);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal("testing@secure.istio.io", Assert.Single(result.Config.JwtRules).Issuer);
        Assert.Equal("test.yaml#2 AuthorizationPolicy istio-system/require-jwt", Assert.Single(result.Config.AuthorizationPolicies).Source);
        Assert.Empty(result.Config.Routes);
    }

    [Theory]
    [InlineData("kind: RequestAuthentication\nspec: {jwtRules: [{issuer: a, jwks_uri: b}]}", "test.yaml#1 RequestAuthentication default/p: spec.jwtRules[0].jwks_uri: unknown field")]
    [InlineData("kind: AuthorizationPolicy\nspec: {action: PERMIT}", "test.yaml#1 AuthorizationPolicy default/p: spec.action: must be one of ALLOW, DENY, AUDIT, CUSTOM, got 'PERMIT'")]
    [InlineData("kind: AuthorizationPolicy\nspec: {rules: [{to: [{operation: {path: [/a]}}]}]}", "test.yaml#1 AuthorizationPolicy default/p: spec.rules[0].to[0].operation.path: unknown field")]
    [InlineData("kind: RequestAuthentication\nspec: {jwtRules: [{issuer: a, timeout: soon}]}", "test.yaml#1 RequestAuthentication default/p: spec.jwtRules[0].timeout: invalid duration 'soon'")]
    public void Load_InvalidPolicy_ErrorNamesTheField(string document, string expected)
    {
        var result = Yaml.Load($"apiVersion: security.istio.io/v1\nmetadata: {{name: p}}\n{document}");

        Assert.StartsWith(expected, Assert.Single(result.Errors), StringComparison.Ordinal);
    }
}
