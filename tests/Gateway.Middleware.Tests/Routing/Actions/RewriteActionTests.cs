using Gateway.Middleware.Configuration;
using Gateway.Middleware.Routing;
using Gateway.Middleware.Routing.Actions;

namespace Gateway.Middleware.Tests.Routing.Actions;

/// <summary>The path a rewrite forwards: Istio <c>rewrite.uri</c> and <c>uriRegexRewrite</c>, Gateway API <c>URLRewrite</c>.</summary>
public sealed class RewriteActionTests
{
    /// <summary>
    /// Gateway API HTTPPathModifier <c>ReplacePrefixMatch</c>: the table in the spec's field documentation
    /// (apis/v1/httproute_types.go), also the HTTPRouteRewritePath conformance cases.
    /// </summary>
    [Theory]
    [InlineData("/foo/bar", "/foo", "/xyz", "/xyz/bar")]
    [InlineData("/foo/bar", "/foo", "/xyz/", "/xyz/bar")]
    [InlineData("/foo/bar", "/foo/", "/xyz", "/xyz/bar")]
    [InlineData("/foo/bar", "/foo/", "/xyz/", "/xyz/bar")]
    [InlineData("/foo", "/foo", "/xyz", "/xyz")]
    [InlineData("/foo/", "/foo", "/xyz", "/xyz/")]
    [InlineData("/foo/bar", "/foo", "", "/bar")]
    [InlineData("/foo/", "/foo", "", "/")]
    [InlineData("/foo", "/foo", "", "/")]
    [InlineData("/foo/", "/foo", "/", "/")]
    [InlineData("/foo", "/foo", "/", "/")]
    [InlineData("/foo/bar", "/foo", "/", "/bar")]
    [InlineData("/prefix/one/two", "/prefix/one", "/one", "/one/two")]
    [InlineData("/anything", "/", "/xyz", "/xyz/anything")]
    [InlineData("/", "/", "/xyz", "/xyz")]
    public void RewritePath_GatewayApiReplacePrefixMatch_FollowsSpecTable(string path, string prefix, string replacement, string expected)
    {
        var rewrite = new RewriteAction(new RewriteConfig { PrefixReplacement = replacement });

        var result = rewrite.RewritePath(path, Matcher(StringMatchKind.SegmentPrefix, prefix), gatewayApi: true);

        Assert.Equal(expected, result);
    }

    /// <summary>
    /// Istio <c>rewrite.uri</c> after <c>uri.prefix</c> (Envoy <c>prefix_rewrite</c>): the matched characters are
    /// swapped; a replacement ending in '/' never yields "//" (our one deliberate difference from Envoy).
    /// </summary>
    [Theory]
    [InlineData("/ratings/v2/x", "/ratings", "/v1/bookRatings", "/v1/bookRatings/v2/x")] // Istio HTTPRewrite example
    [InlineData("/ratings", "/ratings", "/v1/bookRatings", "/v1/bookRatings")]
    [InlineData("/v2example", "/v2", "/v3", "/v3example")] // plain string prefix
    [InlineData("/foo/x", "/foo/", "/", "/x")]
    [InlineData("/foo/x", "/foo", "/", "/x")] // Envoy: "//x"
    [InlineData("/foo/x", "/foo", "/bar/", "/bar/x")] // Envoy: "/bar//x"
    [InlineData("/foo/x", "/foo/", "/bar", "/barx")] // Envoy's documented trailing-slash caveat
    [InlineData("/foo", "/foo", "", "/")]
    public void RewritePath_IstioUriAfterPrefixMatch_ReplacesMatchedPrefix(string path, string prefix, string replacement, string expected)
    {
        var rewrite = new RewriteAction(new RewriteConfig { PrefixReplacement = replacement });

        var result = rewrite.RewritePath(path, Matcher(StringMatchKind.Prefix, prefix), gatewayApi: false);

        Assert.Equal(expected, result);
    }

    [Fact]
    public void RewritePath_IstioUriAfterCaseInsensitivePrefix_ReplacesTheMatchedLength()
    {
        var rewrite = new RewriteAction(new RewriteConfig { PrefixReplacement = "/new" });

        var result = rewrite.RewritePath("/OLD/page", Matcher(StringMatchKind.Prefix, "/old", ignoreCase: true), gatewayApi: false);

        Assert.Equal("/new/page", result);
    }

    /// <summary>Istio <c>rewrite.uri</c> after an exact or regex match, or with no path condition: the whole path.</summary>
    [Theory]
    [InlineData("exact", "/login")]
    [InlineData("regex", "/log.*")]
    [InlineData(null, null)]
    public void RewritePath_IstioUriWithoutPrefixMatch_ReplacesWholePath(string? kind, string? value)
    {
        var rewrite = new RewriteAction(new RewriteConfig { PrefixReplacement = "/auth/login" });
        var matcher = kind switch
        {
            "exact" => Matcher(StringMatchKind.Exact, value!),
            "regex" => Matcher(StringMatchKind.Regex, value!),
            _ => null,
        };

        var result = rewrite.RewritePath("/login", matcher, gatewayApi: false);

        Assert.Equal("/auth/login", result);
    }

    /// <summary>Gateway API <c>ReplaceFullPath</c> (HTTPRouteRewritePath conformance: /full/one → /one).</summary>
    [Theory]
    [InlineData("/full/one/two", "/one", "/one")]
    [InlineData("/anything", "/", "/")]
    [InlineData("/x", "relative", "/relative")]
    public void RewritePath_FullPath_ReplacesWholePath(string path, string fullPath, string expected)
    {
        var rewrite = new RewriteAction(new RewriteConfig { FullPath = fullPath });

        Assert.Equal(expected, rewrite.RewritePath(path, Matcher(StringMatchKind.SegmentPrefix, "/full"), gatewayApi: true));
    }

    /// <summary>
    /// Istio <c>uriRegexRewrite</c> (Envoy <c>regex_rewrite</c>): unanchored, every match substituted, <c>\N</c>
    /// capture groups. Rows 1–4 are the examples of Envoy's RouteAction.regex_rewrite documentation.
    /// </summary>
    [Theory]
    [InlineData("/service/foo/v1/api", @"^/service/([^/]+)(/.*)$", @"\2/instance/\1", "/v1/api/instance/foo")]
    [InlineData("/xxx/one/yyy/one/zzz", "one", "two", "/xxx/two/yyy/two/zzz")]
    [InlineData("/xxx/one/yyy/one/zzz", "^(.*?)one(.*)$", @"\1two\2", "/xxx/two/yyy/one/zzz")]
    [InlineData("/aaa/XxX/bbb", "(?i)/xxx/", "/yyy/", "/aaa/yyy/bbb")]
    [InlineData("/v1/users/42", "^/v1/(?P<rest>.*)$", @"/api/v2/\1", "/api/v2/users/42")] // RE2 named group
    [InlineData("/price", "^/price$", "/cost$1", "/cost$1")] // '$' is literal in RE2 substitutions
    [InlineData("/a/b", "/", @"\\", @"\a\b")] // "\\" is a literal backslash
    [InlineData("/untouched", "^/other", "/x", "/untouched")] // no match, no change
    public void RewritePath_UriRegexRewrite_SubstitutesEveryMatch(string path, string pattern, string substitution, string expected)
    {
        var rewrite = new RewriteAction(new RewriteConfig { RegexMatch = pattern, RegexReplacement = substitution });

        Assert.Equal(expected, rewrite.RewritePath(path, null, gatewayApi: false));
    }

    [Fact]
    public void Constructor_AuthorityOnly_DoesNotRewritePath()
    {
        var rewrite = new RewriteAction(new RewriteConfig { Authority = "internal.example.com" });

        Assert.False(rewrite.RewritesPath);
        Assert.Equal("internal.example.com", rewrite.Authority);
        Assert.Equal("/same", rewrite.RewritePath("/same", null, gatewayApi: false));
    }

    [Theory]
    [InlineData(@"\1", "${1}")]
    [InlineData(@"/a/\2/\1x", "/a/${2}/${1}x")]
    [InlineData("$5", "$$5")]
    [InlineData(@"\\1", @"\1")]
    [InlineData(@"tail\", @"tail\")]
    public void ToDotNetSubstitution_Re2Syntax_BecomesDotNetSyntax(string re2, string dotNet)
    {
        Assert.Equal(dotNet, RewriteAction.ToDotNetSubstitution(re2));
    }

    internal static StringMatcher Matcher(StringMatchKind kind, string value, bool ignoreCase = false)
        => StringMatcher.Create(new StringMatchConfig(kind, value), ignoreCase);
}
