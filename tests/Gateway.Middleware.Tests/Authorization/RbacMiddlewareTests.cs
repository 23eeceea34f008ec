using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Authorization;

/// <summary>
/// The authorization stage behind host matching and routing, with policies from the fluent builder. A test
/// middleware stands in for the JWT stage: <c>x-test-sub</c> becomes the principal, <c>x-test-groups</c> its
/// <c>groups</c> claim.
/// </summary>
public sealed class RbacMiddlewareTests
{
    [Theory]
    [InlineData("/admin", HttpStatusCode.Forbidden)]
    [InlineData("/admin/users", HttpStatusCode.Forbidden)]
    [InlineData("/public", HttpStatusCode.OK)]
    public async Task Deny_MatchingPath_403RbacAccessDenied(string path, HttpStatusCode expected)
    {
        using var server = await StartAsync(g => g.AddAuthorizationPolicy("deny-admin", p => p.Deny().Rule(r => r.To(paths: ["/admin*"]))));

        var (status, body) = await SendAsync(server, path);

        Assert.Equal(expected, status);
        Assert.Equal(expected == HttpStatusCode.OK ? "route:all" : "RBAC: access denied", body);
    }

    [Theory]
    // DENY first, then ALLOW: an admin may read /admin, but nobody may DELETE it.
    [InlineData("GET", "/admin", "alice", "admins", HttpStatusCode.OK)]
    [InlineData("DELETE", "/admin", "alice", "admins", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/admin", "bob", "dev", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/admin", null, null, HttpStatusCode.Forbidden)]
    [InlineData("GET", "/public/x", null, null, HttpStatusCode.OK)]
    [InlineData("GET", "/other", "bob", "dev", HttpStatusCode.Forbidden)] // an ALLOW policy exists and none matches
    public async Task DenyThenAllow_IstioEvaluationOrder(string method, string path, string? subject, string? groups, HttpStatusCode expected)
    {
        using var server = await StartAsync(g => g
            .AddAuthorizationPolicy("no-delete", p => p.Deny().Rule(r => r.To(methods: ["DELETE"])))
            .AddAuthorizationPolicy("admins", p => p.Allow().Rule(r => r
                .From(requestPrincipals: ["*"])
                .To(paths: ["/admin*"])
                .When("request.auth.claims[groups]", "admins")))
            .AddAuthorizationPolicy("public", p => p.Rule(r => r.To(paths: ["/public/*"]))));

        var (status, _) = await SendAsync(server, path, method, subject, groups);

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task AllowWithoutRules_SpecEmpty_DeniesEverything()
    {
        using var server = await StartAsync(g => g.AddAuthorizationPolicy("deny-all", p => p.Allow()));

        Assert.Equal((HttpStatusCode.Forbidden, "RBAC: access denied"), await SendAsync(server, "/", subject: "alice"));
    }

    [Fact]
    public async Task AllowEmptyRule_RulesEmptyObject_AllowsEverything()
    {
        using var server = await StartAsync(g => g
            .AddAuthorizationPolicy("deny-all", p => p.Allow())
            .AddAuthorizationPolicy("allow-all", p => p.Allow().Rule(_ => { })));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, "/anything")).Status);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Forbidden)] // Istio authn task: requestPrincipals ["*"] and no token → 403
    [InlineData("alice", HttpStatusCode.OK)]
    public async Task RequestPrincipalsAny_NoToken_403(string? subject, HttpStatusCode expected)
    {
        using var server = await StartAsync(g => g.AddAuthorizationPolicy("require-jwt", p => p.Rule(r => r.From(requestPrincipals: ["*"]))));

        Assert.Equal(expected, (await SendAsync(server, "/", subject: subject)).Status);
    }

    [Fact]
    public async Task Audit_Matching_DoesNotDeny()
    {
        using var server = await StartAsync(g => g.AddAuthorizationPolicy("audit", p => p.Audit().Rule(r => r.To(paths: ["/admin*"]))));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, "/admin")).Status);
    }

    [Fact]
    public async Task NoPolicy_StageDoesNothing()
    {
        using var server = await StartAsync(_ => { });

        Assert.Equal((HttpStatusCode.OK, "route:all"), await SendAsync(server, "/admin"));
    }

    [Fact]
    public async Task Deny_GrpcRequest_PermissionDeniedTrailersOnly()
    {
        using var server = await StartAsync(g => g.AddAuthorizationPolicy("deny", p => p.Deny().Rule(_ => { })));
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/pkg.Service/Method") { Version = HttpVersion.Version20 };
        request.Content = new ByteArrayContent([]);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("grpc-status").Single());
        Assert.Equal("RBAC: access denied", Uri.UnescapeDataString(response.Headers.GetValues("grpc-message").Single()));
    }

    [Fact]
    public void AddAuthorizationPolicy_InvalidPolicy_StartupFailsListingErrors()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGateway()
            .AddAuthorizationPolicy("bad", p => p.Rule(r => r.From(ipBlocks: ["10.0.0.0/99"]).When("source.user", "x")));
        using var app = builder.Build();

        var exception = Assert.Throws<GatewayConfigurationException>(() => app.UseGatewayAuthorization());

        Assert.Equal(2, exception.Errors.Count);
        Assert.All(exception.Errors, e => Assert.StartsWith("authorization policy 'bad': rules[0].", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddAuthorizationPolicy_AfterBuild_Throws()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var gateway = builder.Services.AddGateway();
        await using var app = builder.Build();
        app.UseGatewayAuthorization();

        Assert.Throws<InvalidOperationException>(() => gateway.AddAuthorizationPolicy("late", p => p.Deny()));
    }

    private static async Task<TestServer> StartAsync(Action<IGatewayBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var gateway = builder.Services.AddGateway()
            .AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("all", r => r.Hosts("*").RouteTo("up"));
        configure(gateway);
        var app = builder.Build();

        app.UseGatewayHostMatching();
        app.UseGatewayRouting();
        app.Use((context, next) =>
        {
            if (context.Request.Headers["x-test-sub"] is { Count: 1 } sub)
            {
                var groups = context.Request.Headers["x-test-groups"].ToString();
                var feature = (GatewayFeature)context.Features.Get<IGatewayFeature>()!;
                feature.Principal = RbacTestRequests.Principal(subject: sub[0]!, claimsJson: $$"""{"groups":["{{groups}}"]}""");
            }

            return next(context);
        });
        app.UseGatewayAuthorization();
        app.Run(context => context.Response.WriteAsync("route:" + context.Features.Get<IGatewayFeature>()!.RouteName));
        await app.StartAsync();
        return app.GetTestServer();
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(TestServer server, string path, string method = "GET", string? subject = null, string? groups = null)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (subject is not null)
        {
            request.Headers.Add("x-test-sub", subject);
            request.Headers.Add("x-test-groups", groups ?? "");
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
