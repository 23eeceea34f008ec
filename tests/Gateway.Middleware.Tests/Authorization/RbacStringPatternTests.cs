using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Tests.Authorization;

/// <summary>Istio AuthorizationPolicy value matching: exact, <c>prefix*</c>, <c>*suffix</c>, <c>*</c> (presence).</summary>
public sealed class RbacStringPatternTests
{
    [Theory]
    [InlineData("/admin", "/admin", true)]
    [InlineData("/admin", "/admin/", false)]
    [InlineData("/admin", "/Admin", false)] // case-sensitive
    [InlineData("/admin*", "/admin", true)]
    [InlineData("/admin*", "/administrator", true)]
    [InlineData("/admin*", "/x/admin", false)]
    [InlineData("*.png", "/a/b.png", true)]
    [InlineData("*.png", "/a/b.png/x", false)]
    [InlineData("*", "anything", true)]
    [InlineData("*", "", false)]
    public void Matches_IstioStringMatch_Table(string pattern, string value, bool expected)
    {
        Assert.True(RbacStringPattern.TryParse(pattern, out var parsed, out _));
        Assert.Equal(expected, parsed.Matches(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/a*b")]
    [InlineData("**x*")]
    public void TryParse_InvalidWildcard_Rejected(string pattern)
    {
        Assert.False(RbacStringPattern.TryParse(pattern, out _, out var error));
        Assert.NotNull(error);
    }
}
