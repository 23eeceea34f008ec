using Gateway.Middleware.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// Istio <c>HTTPMatchRequest</c> scheme, method and authority (StringMatch, case-sensitive) and port (the
/// local port the request arrived on). <c>authority</c> is the <c>Host</c>/<c>:authority</c> as sent, port
/// included.
/// </summary>
public sealed class RequestMatchTests : IClassFixture<RequestMatchTests.Fixture>
{
    private readonly RoutingTestHost _host;

    public RequestMatchTests(Fixture fixture)
    {
        _host = fixture.Host;
    }

    [Theory]
    [InlineData("https", "scheme-https")]
    [InlineData("http", "scheme-http-prefix")]
    public async Task Scheme_ExactAndPrefix_MatchRequestScheme(string scheme, string expected)
    {
        var result = await _host.SendAsync("/scheme", host: "request.test", scheme: scheme);
        Assert.Equal(expected, result.Route);
    }

    [Theory]
    [InlineData("GET", "method-get")]
    [InlineData("DELETE", "method-regex")]
    [InlineData("PURGE", "method-regex")]
    [InlineData("POST", "404")]
    [InlineData("PATCH", "404")]
    public async Task Method_ExactAndRegex_MatchRequestMethod(string method, string expected)
        => Assert.Equal(expected, await _host.RouteAsync("/method", method, "request.test"));

    [Theory]
    [InlineData("api.example.com", "authority-exact")]
    [InlineData("API.example.com", "404")] // StringMatch is case-sensitive; the host was matched case-insensitively
    [InlineData("api.example.com:8080", "404")] // authority includes the port
    [InlineData("admin.example.com", "authority-prefix")]
    [InlineData("billing.internal:8443", "authority-regex")]
    [InlineData("billing.internal", "authority-regex")]
    [InlineData("billing.internal.example.com", "404")]
    public async Task Authority_ExactPrefixRegex_MatchHostAsSent(string authority, string expected)
        => Assert.Equal(expected, await _host.RouteAsync("/authority", host: authority));

    [Theory]
    [InlineData(8080, "port-8080")]
    [InlineData(9090, "port-9090")]
    [InlineData(80, "404")]
    public async Task Port_LocalPort_SelectsRule(int port, string expected)
    {
        var result = await _host.SendAsync("/port", host: "request.test", headers: [(RoutingTestHost.LocalPortHeader, port.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        Assert.Equal(expected, result.Route ?? ((int)result.Status).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public sealed class Fixture : RoutingFixture
    {
        protected override void Configure(IGatewayBuilder gateway) => gateway
            .AddRoute("scheme-https", r => r.Match(m => m.PathExact("/scheme").Scheme(exact: "https")).RouteTo("up"))
            .AddRoute("scheme-http-prefix", r => r.Match(m => m.PathExact("/scheme").Scheme(prefix: "http")).RouteTo("up"))
            .AddRoute("method-get", r => r.Match(m => m.PathExact("/method").Method(exact: "GET")).RouteTo("up"))
            .AddRoute("method-regex", r => r.Match(m => m.PathExact("/method").Method(regex: "DELETE|PURGE")).RouteTo("up"))
            .AddRoute("authority-exact", r => r.Match(m => m.PathExact("/authority").Authority(exact: "api.example.com")).RouteTo("up"))
            .AddRoute("authority-prefix", r => r.Match(m => m.PathExact("/authority").Authority(prefix: "admin.")).RouteTo("up"))
            .AddRoute("authority-regex", r => r.Match(m => m.PathExact("/authority").Authority(regex: @"[a-z]+\.internal(:[0-9]+)?")).RouteTo("up"))
            .AddRoute("port-8080", r => r.Match(m => m.PathExact("/port").Port(8080)).RouteTo("up"))
            .AddRoute("port-9090", r => r.Match(m => m.PathExact("/port").Port(9090)).RouteTo("up"));
    }
}
