using Gateway.Middleware.Configuration;
using Gateway.Middleware.Routing;
using Gateway.Middleware.Routing.Actions;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Tests.Routing.Actions;

/// <summary>
/// The <c>Location</c> of a redirect (Istio <c>HTTPRedirect</c>, Gateway API <c>RequestRedirect</c>, Envoy
/// <c>RedirectAction</c>): the request's URL with the configured parts replaced.
/// </summary>
public sealed class RedirectActionTests
{
    /// <summary>Columns: request URL, then uri, authority, scheme, port (0: none), then the Location expected.</summary>
    [Theory]
    // Istio HTTPRedirect reference example: uri and authority replaced, the query kept.
    [InlineData("http://ratings.prod.svc.cluster.local/v1/getProductRatings?id=1", "/v1/bookRatings", "newratings.default.svc.cluster.local", null, 0, "http://newratings.default.svc.cluster.local/v1/bookRatings?id=1")]
    [InlineData("http://a.example.com/old?x=1&y=2", "/new", null, null, 0, "http://a.example.com/new?x=1&y=2")]
    // Envoy path_redirect: a query in it replaces the request's.
    [InlineData("http://a.example.com/old?x=1", "/new?y=2", null, null, 0, "http://a.example.com/new?y=2")]
    // Nothing configured but the code: the request's own URL, port kept.
    [InlineData("http://a.example.com:8080/p/q?x=1", null, null, null, 0, "http://a.example.com:8080/p/q?x=1")]
    [InlineData("http://a.example.com:8080/x", "/y", null, null, 0, "http://a.example.com:8080/y")]
    // Scheme change (HTTPRouteRedirectScheme): the request's port goes, whatever it was.
    [InlineData("http://a.example.com/x?q=1", null, null, "https", 0, "https://a.example.com/x?q=1")]
    [InlineData("http://a.example.com:80/x", null, null, "https", 0, "https://a.example.com/x")]
    [InlineData("http://a.example.com:8080/x", null, null, "https", 0, "https://a.example.com/x")]
    [InlineData("https://a.example.com:8443/x", null, null, "http", 0, "http://a.example.com/x")]
    [InlineData("http://[::1]:8080/x", null, null, "https", 0, "https://[::1]/x")]
    // The same scheme written again is no change: the port stays.
    [InlineData("https://a.example.com:8443/x", null, null, "https", 0, "https://a.example.com:8443/x")]
    // Port (HTTPRouteRedirectPort, HTTPRouteRedirectPortAndScheme): the final scheme's default port is never written.
    [InlineData("http://a.example.com/x", null, null, null, 8083, "http://a.example.com:8083/x")]
    [InlineData("http://a.example.com:8080/x", null, null, null, 80, "http://a.example.com/x")]
    [InlineData("http://a.example.com/x", null, null, "https", 443, "https://a.example.com/x")]
    [InlineData("http://a.example.com/x", null, null, "https", 8443, "https://a.example.com:8443/x")]
    [InlineData("https://a.example.com/x", null, null, "http", 443, "http://a.example.com:443/x")]
    // Authority (HTTPRouteRedirectHostAndStatus): the request's port does not follow a new host.
    [InlineData("http://a.example.com:8080/x", null, "b.example.com", null, 0, "http://b.example.com/x")]
    [InlineData("http://a.example.com/x", null, "b.example.com:9000", null, 0, "http://b.example.com:9000/x")]
    [InlineData("http://a.example.com/x", null, "b.example.com:9000", null, 9443, "http://b.example.com:9443/x")]
    [InlineData("http://a.example.com/x", null, "b.example.com", "https", 8443, "https://b.example.com:8443/x")]
    // The path travels escaped; a backslash cannot become a second slash.
    [InlineData("http://a.example.com/a%20b/c", null, null, "https", 0, "https://a.example.com/a%20b/c")]
    [InlineData("http://a.example.com/%5Cevil.com", null, null, "https", 0, "https://a.example.com/%5Cevil.com")]
    // "//" in the path stays inside an absolute URL, whose host is ours.
    [InlineData("http://a.example.com//evil.com/x", null, null, "https", 0, "https://a.example.com//evil.com/x")]
    public void BuildLocation_ConfiguredParts_ReplaceRequestParts(string requestUrl, string? path, string? authority, string? scheme, int port, string expected)
    {
        var request = Request(requestUrl);
        var config = new RedirectConfig { Path = path, Authority = authority, Scheme = scheme, Port = port == 0 ? null : port };

        var location = new RedirectAction(config).BuildLocation(request, request.Scheme, null, gatewayApi: false);

        Assert.Equal(expected, location);
    }

    /// <summary>Gateway API <c>ReplacePrefixMatch</c> redirects (HTTPRouteRedirectPath conformance), segment-wise.</summary>
    [Theory]
    [InlineData("/original-prefix/lemon", "/original-prefix", "/replacement-prefix", "http://a.example.com/replacement-prefix/lemon")]
    [InlineData("/original-prefix/lemon?x=1", "/original-prefix", "/replacement-prefix", "http://a.example.com/replacement-prefix/lemon?x=1")]
    [InlineData("/foo/x", "/foo", "/bar", "http://a.example.com/bar/x")]
    [InlineData("/foo/x", "/foo", "/", "http://a.example.com/x")]
    [InlineData("/foo", "/foo", "/", "http://a.example.com/")]
    [InlineData("/foo/", "/foo/", "/bar/", "http://a.example.com/bar/")]
    public void BuildLocation_ReplacePrefixMatch_ReplacesMatchedSegments(string pathAndQuery, string prefix, string replacement, string expected)
    {
        var request = Request("http://a.example.com" + pathAndQuery);
        var matcher = StringMatcher.Create(new StringMatchConfig(StringMatchKind.SegmentPrefix, prefix));

        var location = new RedirectAction(new RedirectConfig { PrefixReplacement = replacement, Code = 302 })
            .BuildLocation(request, request.Scheme, matcher, gatewayApi: true);

        Assert.Equal(expected, location);
    }

    [Theory]
    [InlineData("/x", "/x")]
    [InlineData("//evil.com/x", "/evil.com/x")]
    [InlineData("///evil.com", "/evil.com")]
    public void BuildLocation_RequestWithoutHost_IsPathAbsoluteAndNeverProtocolRelative(string path, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Path = path;

        var location = new RedirectAction(new RedirectConfig { Scheme = "https" }).BuildLocation(context.Request, "http", null, gatewayApi: false);

        Assert.Equal(expected, location);
        Assert.False(location.StartsWith("//", StringComparison.Ordinal));
    }

    [Fact]
    public void BuildLocation_ForwardedProtoHttps_CountsAsSameScheme()
    {
        // Behind a TLS-terminating proxy the connection is http but the client used https.
        var request = Request("http://a.example.com:8443/x");

        var location = new RedirectAction(new RedirectConfig { Scheme = "https" }).BuildLocation(request, "https", null, gatewayApi: false);

        Assert.Equal("https://a.example.com:8443/x", location);
    }

    private static HttpRequest Request(string url)
    {
        // Split by hand: System.Uri would drop a default port and canonicalize the path.
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var pathStart = url.IndexOf('/', schemeEnd + 3);
        var queryStart = url.IndexOf('?', pathStart);
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Scheme = url[..schemeEnd];
        request.Host = new HostString(url[(schemeEnd + 3)..pathStart]);
        request.Path = PathString.FromUriComponent(queryStart < 0 ? url[pathStart..] : url[pathStart..queryStart]);
        request.QueryString = queryStart < 0 ? Microsoft.AspNetCore.Http.QueryString.Empty : new Microsoft.AspNetCore.Http.QueryString(url[queryStart..]);
        return request;
    }
}
