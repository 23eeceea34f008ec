using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Tests.Authorization;

/// <summary>
/// Istio Operation.paths: exact, <c>prefix*</c>, <c>*suffix</c>, <c>*</c>, and Envoy URI templates where
/// <c>{*}</c> is one non-empty segment and <c>{**}</c> (last) is the rest of the path.
/// </summary>
public sealed class RbacPathPatternTests
{
    [Theory]
    [InlineData("/info", "/info", true)]
    [InlineData("/info", "/info/", false)]
    [InlineData("/info*", "/info/x", true)]
    [InlineData("/info*", "/information", true)]
    [InlineData("*/x", "/a/b/x", true)]
    [InlineData("*", "/", true)]
    [InlineData("/foo/{*}", "/foo/bar", true)]
    [InlineData("/foo/{*}", "/foo/bar/baz", false)]
    [InlineData("/foo/{*}", "/foo/", false)]
    [InlineData("/foo/{*}", "/foo", false)]
    [InlineData("/foo/{*}/bar", "/foo/x/bar", true)]
    [InlineData("/foo/{*}/bar", "/foo/x/y/bar", false)]
    [InlineData("/foo/{*}/bar", "/foo/x/bar/", false)]
    [InlineData("/foo/{**}", "/foo/a/b/c", true)]
    [InlineData("/foo/{**}", "/foo/", true)]
    [InlineData("/foo/{**}", "/foo", false)]
    [InlineData("/foo/{**}", "/foobar/a", false)]
    [InlineData("/{*}/admin/{**}", "/v1/admin/users", true)]
    [InlineData("/{*}/admin/{**}", "/v1/public/users", false)]
    [InlineData("/{**}", "/anything/at/all", true)]
    public void Matches_Table(string pattern, string path, bool expected)
    {
        Assert.True(RbacPathPattern.TryParse(pattern, out var parsed, out var error), error);
        Assert.Equal(expected, parsed!.Matches(path));
    }

    [Theory]
    [InlineData("/foo/{**}/bar", "must be the last segment")]
    [InlineData("/foo/a{*}", "must be whole segments")]
    [InlineData("/foo/{x}", "must be whole segments")]
    [InlineData("foo/{*}", "must start with '/'")]
    [InlineData("/a*b", "'*' is only allowed")]
    public void TryParse_InvalidTemplate_Rejected(string pattern, string message)
    {
        Assert.False(RbacPathPattern.TryParse(pattern, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
