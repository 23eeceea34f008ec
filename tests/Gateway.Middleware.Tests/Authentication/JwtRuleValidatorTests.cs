using Gateway.Middleware.Authentication;

namespace Gateway.Middleware.Tests.Authentication;

/// <summary>Every error in the jwtRules of a configuration is reported, each naming the rule and the field.</summary>
public sealed class JwtRuleValidatorTests
{
    private const string Jwks = "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}]}";

    [Fact]
    public void Validate_ValidRules_NoErrors()
    {
        var errors = Validate(
            new JwtRuleConfig("https://a.example.com") { JwksUri = "https://a.example.com/jwks", Audiences = ["x"] },
            new JwtRuleConfig("https://b.example.com") { Jwks = Jwks, OutputClaimToHeaders = [new("x-sub", "sub"), new("x-t", "org.tenant")] });

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_EveryBadField_AllReported()
    {
        var errors = Validate(
            new JwtRuleConfig("a") { JwksUri = "ftp://a.example.com/jwks", Timeout = TimeSpan.Zero, RefreshInterval = TimeSpan.FromSeconds(-1) },
            new JwtRuleConfig("a") { Jwks = Jwks },
            new JwtRuleConfig("") { JwksUri = "/relative" },
            new JwtRuleConfig("c")
            {
                Jwks = Jwks,
                FromHeaders = [new("", "Bearer ")],
                FromParams = [""],
                FromCookies = [" "],
                OutputPayloadToHeader = "bad header",
                OutputClaimToHeaders = [new("x:y", "a..b")],
            });

        Assert.Equal(
            [
                "jwtRule 'a': jwksUri 'ftp://a.example.com/jwks' must be an absolute http or https URI",
                "jwtRule 'a': timeout must be positive, got 00:00:00",
                "jwtRule 'a': refresh interval must be positive, got -00:00:01",
                "jwtRule 'a': issuer 'a' is already configured by another jwtRule",
                "jwtRule '': issuer must not be empty",
                "jwtRule '': jwksUri '/relative' must be an absolute http or https URI",
                "jwtRule 'c': fromHeaders[0].name must not be empty",
                "jwtRule 'c': fromParams[0] must not be empty",
                "jwtRule 'c': fromCookies[0] must not be empty",
                "jwtRule 'c': outputClaimToHeaders[0].header 'x:y' is not a valid header name",
                "jwtRule 'c': outputClaimToHeaders[0].claim 'a..b' must be a claim name or a dotted path a.b.c",
                "jwtRule 'c': outputPayloadToHeader 'bad header' is not a valid header name",
            ],
            errors);
    }

    [Fact]
    public void Validate_SymmetricKeyTooShort_NoUsableKey()
    {
        var errors = Validate(new JwtRuleConfig("a") { Jwks = "{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2hvcnQ\"}]}" });

        Assert.Equal(["jwtRule 'a': jwks: Jwks doesn't have any valid public key"], errors);
    }

    [Fact]
    public void Warnings_EmptyAudiences_Warned()
    {
        var warnings = JwtRuleValidator.Warnings([new JwtRuleConfig("a") { Jwks = Jwks }, new JwtRuleConfig("b") { Jwks = Jwks, Audiences = ["x"] }]);

        Assert.Equal(["jwtRule 'a': audiences is empty, so tokens of issuer 'a' are accepted for any audience (Istio behaviour)"], warnings);
    }

    [Fact]
    public void Validate_NeitherJwksNorJwksUri_HttpIssuerUsesOidcDiscovery()
    {
        var errors = Validate(
            new JwtRuleConfig("https://a.example.com") { Audiences = ["x"] },
            new JwtRuleConfig("http://b.example.com/realms/x/") { Audiences = ["x"] });

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_NeitherJwksNorJwksUri_NonHttpIssuer_Error()
    {
        var errors = Validate(
            new JwtRuleConfig("accounts.example.com") { Audiences = ["x"] },
            new JwtRuleConfig("urn:example") { Audiences = ["x"] });

        Assert.Equal(
            [
                "jwtRule 'accounts.example.com': jwks or jwksUri is required when the issuer 'accounts.example.com' is not an absolute http or https URI (OIDC discovery)",
                "jwtRule 'urn:example': jwks or jwksUri is required when the issuer 'urn:example' is not an absolute http or https URI (OIDC discovery)",
            ],
            errors);
    }

    private static List<string> Validate(params JwtRuleConfig[] rules)
    {
        var errors = new List<string>();
        JwtRuleValidator.Validate(rules, errors);
        return errors;
    }
}
