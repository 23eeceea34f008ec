using Gateway.Middleware.Authentication;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Middleware.Tests.Authentication;

internal static class JwtAuthenticatorFactory
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static JwtAuthenticator Inline(TestJwtIssuer issuer, FakeTimeProvider time, Func<JwtRuleConfig, JwtRuleConfig>? configure = null, string? jwks = null)
    {
        var rule = new JwtRuleConfig(TestJwtIssuer.Issuer) { Jwks = jwks ?? issuer.Jwks(), Audiences = ["bookstore"] };
        rule = configure?.Invoke(rule) ?? rule;
        return JwtRuleSet.Compile([rule], new JwksProvider(time, null), time);
    }

    public static FakeTimeProvider Clock() => new(Now);
}
