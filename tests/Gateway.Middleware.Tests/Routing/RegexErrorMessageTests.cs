using Gateway.Middleware.Routing;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// An invalid regex is reported with the reason in terms of the pattern the user wrote: the gateway anchors
/// patterns internally (RE2 full match, as Envoy's safe_regex), and that wrapper must not leak into messages.
/// </summary>
public sealed class RegexErrorMessageTests
{
    [Theory]
    [InlineData("([a-z", "Unterminated [] set")]
    [InlineData("v(1", "Not enough )'s")]
    [InlineData("a)b", "Too many )'s")]
    [InlineData("*prod", "Quantifier '*' following nothing")]
    public void ValidateRegex_InvalidPattern_ReasonDescribesTheUsersPattern(string pattern, string reason)
    {
        var message = StringMatcher.ValidateRegex(pattern);

        Assert.NotNull(message);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Contains($"'{pattern}'", message, StringComparison.Ordinal);
        Assert.DoesNotContain(@"\A(?:", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/users/[0-9]+")]
    [InlineData("(?P<id>[a-z]+)/x")]
    [InlineData("a|b")]
    public void ValidateRegex_ValidPattern_Null(string pattern) => Assert.Null(StringMatcher.ValidateRegex(pattern));
}
