using Gateway.Middleware.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// An invalid regular expression anywhere in a match stops the gateway while it is built, with an error
/// naming the route, the match and the field (Istio rejects such a VirtualService at admission).
/// </summary>
public sealed class MatchValidationTests
{
    [Fact]
    public void UseGateway_InvalidRegexInEveryField_OneErrorNamingEachField()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGateway()
            .AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("bad", r => r
                .Match(m => m.PathRegex("/users/(["))
                .Match(m => m.Header("x-version", regex: "v(1"))
                .Match(m => m.WithoutHeader("x-env", regex: "*prod"))
                .Match(m => m.QueryParam("animal", regex: "[a-"))
                .Match(m => m.Method(regex: "GET|(POST"))
                .Match(m => m.Scheme(regex: "http(s"))
                .Match(m => m.Authority(regex: "(?<=a)b"))
                .RouteTo("up"));
        using var app = builder.Build();

        var exception = Assert.Throws<GatewayConfigurationException>(() => app.UseGateway());

        Assert.Collection(
            exception.Errors,
            e => Assert.StartsWith("route 'bad': match[0].uri.regex: invalid pattern '/users/(['", e, StringComparison.Ordinal),
            e => Assert.StartsWith("route 'bad': match[1].headers.x-version.regex: invalid pattern 'v(1'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("route 'bad': match[2].withoutHeaders.x-env.regex: invalid pattern '*prod'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("route 'bad': match[3].queryParams.animal.regex: invalid pattern '[a-'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("route 'bad': match[4].method.regex: invalid pattern 'GET|(POST'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("route 'bad': match[5].scheme.regex: invalid pattern 'http(s'", e, StringComparison.Ordinal),
            // RE2 has no lookbehind; neither does the linear-time engine.
            e => Assert.StartsWith("route 'bad': match[6].authority.regex: invalid pattern '(?<=a)b'", e, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/users/(?P<id>[0-9]+)")]
    [InlineData("/a/(?P<x>b)/(?P<y>c)")]
    public void UseGateway_Re2Syntax_Accepted(string pattern)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGateway()
            .AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("ok", r => r.MatchPathRegex(pattern).RouteTo("up"));
        using var app = builder.Build();

        app.UseGateway();
    }
}
