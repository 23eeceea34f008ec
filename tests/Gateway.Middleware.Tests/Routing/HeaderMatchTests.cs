using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// Istio <c>HTTPMatchRequest.headers</c> and <c>withoutHeaders</c>: exact / prefix / regex / presence
/// (<c>{}</c>); names case-insensitive, values case-sensitive; a header sent several times is matched on
/// its values joined with <c>,</c> (Envoy).
/// </summary>
public sealed class HeaderMatchTests : IClassFixture<HeaderMatchTests.Fixture>
{
    private readonly RoutingTestHost _host;

    public HeaderMatchTests(Fixture fixture)
    {
        _host = fixture.Host;
    }

    [Theory]
    [InlineData("x-version", "v1", "exact")]
    [InlineData("X-Version", "v1", "exact")] // names are case-insensitive
    [InlineData("X-VERSION", "v1", "exact")]
    [InlineData("x-version", "V1", "404")] // values are case-sensitive
    [InlineData("x-version", "v1.1", "404")]
    [InlineData("x-version", "v2", "prefix")]
    [InlineData("x-version", "v2-beta", "prefix")]
    [InlineData("x-version", "V2-beta", "404")]
    [InlineData("x-version", "v4", "regex")]
    [InlineData("x-version", "v45", "404")] // the regex must match the whole value
    [InlineData("x-version", "xv4", "404")]
    [InlineData("x-canary", "anything", "present")]
    [InlineData("x-other", "v1", "404")]
    public async Task Headers_ExactPrefixRegexPresence_SelectRule(string name, string value, string expected)
        => Assert.Equal(expected, await _host.RouteAsync("/headers", host: "headers.test", headers: [(name, value)]));

    [Theory]
    [InlineData("/headers", "X-Canary", "present")] // presence holds for an empty value
    [InlineData("/without", "X-BLOCK", "404")]
    public async Task Headers_EmptyValue_CountsAsPresent(string path, string name, string expected)
    {
        // HttpClient drops empty header values, so the request is built on the server side.
        var route = await _host.RouteAsync(context =>
        {
            context.Request.Method = "GET";
            context.Request.Path = path;
            context.Request.Host = new Microsoft.AspNetCore.Http.HostString("headers.test");
            context.Request.Headers[name] = "";
        });

        Assert.Equal(expected, route);
    }

    [Fact]
    public async Task Headers_NoHeader_404()
        => Assert.Equal("404", await _host.RouteAsync("/headers", host: "headers.test"));

    [Theory]
    [InlineData(new[] { "a", "b" }, "joined")] // sent twice: matched on "a,b"
    [InlineData(new[] { "a,b" }, "joined")]
    [InlineData(new[] { "a, b" }, "404")]
    [InlineData(new[] { "a" }, "404")]
    [InlineData(new[] { "b", "a" }, "404")]
    public async Task Headers_SentSeveralTimes_MatchedOnCommaJoinedValue(string[] values, string expected)
    {
        var headers = new (string, string)[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            headers[i] = ("x-multi", values[i]);
        }

        Assert.Equal(expected, await _host.RouteAsync("/joined", host: "headers.test", headers: headers));
    }

    [Theory]
    [InlineData(null, null, "without-present")]
    [InlineData("x-block", "1", "404")]
    [InlineData("x-other", "1", "without-present")]
    public async Task WithoutHeaders_Presence_RuleMatchesOnlyWhenHeaderAbsent(string? name, string? value, string expected)
        => Assert.Equal(expected, await _host.RouteAsync("/without", host: "headers.test", headers: name is null ? [] : [(name, value!)]));

    [Theory]
    [InlineData(null, null, "without-value")]
    [InlineData("x-env", "dev", "without-value")]
    [InlineData("x-env", "prod", "404")]
    [InlineData("x-env", "Prod", "without-value")]
    public async Task WithoutHeaders_Exact_RuleMatchesUnlessValueEquals(string? name, string? value, string expected)
        => Assert.Equal(expected, await _host.RouteAsync("/without-value", host: "headers.test", headers: name is null ? [] : [(name, value!)]));

    public sealed class Fixture : RoutingFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddRoute("exact", r => r.MatchPath("/headers").MatchHeader("x-version", exact: "v1").RouteTo("up"))
            .AddRoute("prefix", r => r.MatchPath("/headers").MatchHeader("x-version", prefix: "v2").RouteTo("up"))
            .AddRoute("regex", r => r.MatchPath("/headers").MatchHeader("x-version", regex: "v[3-5]").RouteTo("up"))
            .AddRoute("present", r => r.MatchPath("/headers").MatchHeader("x-canary").RouteTo("up"))
            .AddRoute("joined", r => r.MatchPath("/joined").MatchHeader("x-multi", exact: "a,b").RouteTo("up"))
            .AddRoute("without-present", r => r.Match(m => m.PathExact("/without").WithoutHeader("x-block")).RouteTo("up"))
            .AddRoute("without-value", r => r.Match(m => m.PathExact("/without-value").WithoutHeader("x-env", exact: "prod")).RouteTo("up"));
    }
}
