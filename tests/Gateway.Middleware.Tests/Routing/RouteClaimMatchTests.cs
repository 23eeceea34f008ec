using System.Net;
using System.Text.Json;
using Gateway.Middleware.Authentication;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// Istio "JWT claim based routing": a header match on <c>@request.auth.claims.&lt;name&gt;</c> matches the validated
/// token's claim (nested <c>a.b</c>, any element of a list), never a client header. A test middleware stands
/// in for the JWT stage: <c>x-test-claims</c> is the token payload.
/// </summary>
public sealed class RouteClaimMatchTests
{
    [Theory]
    [InlineData("""{"groups":["dev","admins"]}""", "admins-route")]
    [InlineData("""{"groups":"admins"}""", "admins-route")]
    [InlineData("""{"groups":["dev"]}""", "default")]
    [InlineData("""{"org":{"tier":"gold"}}""", "gold-route")] // nested a.b
    [InlineData("""{"org":{"tier":"silver"}}""", "default")]
    [InlineData("""{"beta":"yes"}""", "beta-route")] // {} = claim present
    [InlineData("""{"beta":true}""", "beta-route")]
    [InlineData(null, "default")] // no token: no claim matches
    public async Task ClaimHeaderMatch_ValidatedClaims_Table(string? claims, string expectedRoute)
    {
        using var server = await StartAsync();

        Assert.Equal(expectedRoute, await GetRouteAsync(server, claims));
    }

    [Fact]
    public async Task ClaimHeaderMatch_ClientHeaderOfThatName_Ignored()
    {
        using var server = await StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("@request.auth.claims.groups", "admins");

        using var response = await client.SendAsync(request);

        Assert.Equal("default", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"groups":["banned"]}""", "default")]
    [InlineData("""{"groups":["dev"]}""", "not-banned")]
    [InlineData(null, "not-banned")] // withoutHeaders: no claim means "without"
    public async Task ClaimWithoutHeader_Table(string? claims, string expectedRoute)
    {
        using var server = await StartAsync(g => g
            .AddRoute("not-banned", r => r.Hosts("*").Match(m => m.PathPrefix("/w").WithoutHeader("@request.auth.claims.groups", exact: "banned")).RouteTo("up"))
            .AddRoute("default", r => r.Hosts("*").RouteTo("up")));

        Assert.Equal(expectedRoute, await GetRouteAsync(server, claims, "/w"));
    }

    [Fact]
    public void VirtualServiceYaml_ClaimHeaderMatch_KeptAsClaimCondition()
    {
        var config = Gateway.Middleware.Tests.Configuration.Yaml.Yaml.Config(
            Gateway.Middleware.Tests.Configuration.Yaml.Yaml.Gateway(),
            Gateway.Middleware.Tests.Configuration.Yaml.Yaml.Service("reviews"),
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews.example.com]
              gateways: [gw]
              http:
              - match: [{headers: {"@request.auth.claims.groups": {exact: admins}}}]
                route: [{destination: {host: reviews}}]
            """);

        var header = Assert.Single(Assert.Single(config.Routes[0].Matches).Headers);
        Assert.Equal("@request.auth.claims.groups", header.Name);
        Assert.Equal("admins", header.Match!.Value);
    }

    private static Task<TestServer> StartAsync() => StartAsync(g => g
        .AddRoute("admins-route", r => r.Hosts("*").Match(m => m.Header("@request.auth.claims.groups", exact: "admins")).RouteTo("up"))
        .AddRoute("gold-route", r => r.Hosts("*").Match(m => m.Header("@request.auth.claims.org.tier", prefix: "go")).RouteTo("up"))
        .AddRoute("beta-route", r => r.Hosts("*").Match(m => m.Header("@request.auth.claims.beta")).RouteTo("up"))
        .AddRoute("default", r => r.Hosts("*").RouteTo("up")));

    private static async Task<TestServer> StartAsync(Action<Gateway.Middleware.Builder.IGatewayBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var gateway = builder.Services.AddGateway().AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"));
        configure(gateway);
        var app = builder.Build();
        app.UseGatewayHostMatching();
        app.Use((context, next) =>
        {
            if (context.Request.Headers["x-test-claims"] is { Count: 1 } claims)
            {
                using var payload = JsonDocument.Parse(claims[0]!);
                var feature = (GatewayFeature)context.Features.Get<IGatewayFeature>()!;
                feature.Principal = new JwtPrincipal("https://issuer", "alice", [], null, payload.RootElement.Clone());
            }

            return next(context);
        });
        app.UseGatewayRouting();
        app.Run(context => context.Response.WriteAsync(context.Features.Get<IGatewayFeature>()!.RouteName!));
        await app.StartAsync();
        return app.GetTestServer();
    }

    private static async Task<string> GetRouteAsync(TestServer server, string? claims, string path = "/")
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (claims is not null)
        {
            request.Headers.TryAddWithoutValidation("x-test-claims", claims);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
