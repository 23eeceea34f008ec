using System.Net;
using System.Net.Http.Headers;
using Gateway.Middleware.FunctionalTests.Authentication;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Authorization;

/// <summary>
/// Authorization behind the real JWT stage and path normalization (issue 5 acceptance): Istio's authn-policy
/// task with <c>requestPrincipals: ["*"]</c>, claim conditions on real RS256 tokens from a real JWKS endpoint,
/// and bypass attempts against a DENY on <c>/admin*</c> sent as raw request targets.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class AuthorizationPolicyJwtTests : IDisposable
{
    private readonly JwtKeys _rsa = JwtKeys.Rsa("rsa-authz");

    public void Dispose() => _rsa.Dispose();

    [Fact]
    public async Task RequireJwt_IstioAuthnPolicyTask()
    {
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(_rsa));
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("svc", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("svc"))
            .AddJwtRule(JwtKeys.Issuer, r => r.JwksUri(jwks.Uri).Audiences("bookstore"))
            .AddAuthorizationPolicy("require-jwt", p => p.Rule(r => r.From(requestPrincipals: ["*"])))
            .AddAuthorizationPolicy("admins-only", p => p.Deny().Rule(r => r
                .To(paths: ["/admin*"])
                .WhenNot("request.auth.claims[groups]", "admins"))));
        using var client = gateway.CreateClient();

        // No token: authentication passes, authorization requires a principal → 403.
        Assert.Equal((HttpStatusCode.Forbidden, "RBAC: access denied"), await GetAsync(client, "/books", null));
        // Invalid token: 401 from the JWT stage, before authorization.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/books", "not.a.token")).Status);
        // Valid token: principal https://accounts.example.com/alice.
        Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync(client, "/books", _rsa.Token()));
        // A list claim matches when any element does.
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(client, "/admin", _rsa.Token(c => c["groups"] = new[] { "dev" }))).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/admin", _rsa.Token(c => c["groups"] = new[] { "dev", "admins" }))).Status);
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("//admin")]
    [InlineData("/a/../admin")]
    [InlineData("/./admin/")]
    [InlineData("/%61dmin")]
    [InlineData("/admin#frag")]
    [InlineData("/public/..//admin/x")]
    [InlineData("http://app.example.com//x/../%61dmin")]
    public async Task DenyAdmin_BypassAttempts_403AndUpstreamSeesNothing(string target)
    {
        var seen = 0;
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            Interlocked.Increment(ref seen);
            return context.Response.WriteAsync("ok");
        });
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("svc", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("svc"))
            .AddAuthorizationPolicy("deny-admin", p => p.Deny().Rule(r => r.To(paths: ["/admin*"]))));

        var response = await HeaderForwardingTests.SendRawAsync(gateway.Port, $"GET {target} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.EndsWith("RBAC: access denied", response, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref seen));
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
