using System.Net;
using System.Text;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using static Gateway.Middleware.Tests.Authentication.JwtAuthenticatorFactory;

namespace Gateway.Middleware.Tests.Authentication;

/// <summary>
/// <c>UseGatewayJwt()</c> on its own (Istio RequestAuthentication, Envoy jwt_authn answers): token locations,
/// 401/403 bodies and <c>WWW-Authenticate</c>, token removal, claim and payload headers. The terminal handler
/// echoes what a backend would see.
/// </summary>
public sealed class JwtMiddlewareTests : IDisposable
{
    private readonly TestJwtIssuer _issuer = new();
    private readonly FakeTimeProvider _time = Clock();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task Invoke_NoToken_PassesUnauthenticated()
    {
        await using var app = await StartAsync();

        var (status, body, _) = await SendAsync(app, "/books");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("principal=<none>", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer ")]
    [InlineData("bearer ")]
    [InlineData("BEARER ")]
    public async Task Invoke_ValidBearerToken_PrincipalSetAndTokenRemoved(string scheme)
    {
        await using var app = await StartAsync();

        var (status, body, _) = await SendAsync(app, "/books", r => r.Headers.TryAddWithoutValidation("Authorization", scheme + _issuer.Token(Now)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("principal=https://issuer.example.com/alice", body, StringComparison.Ordinal);
        Assert.DoesNotContain("authorization:", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Invoke_AccessTokenParam_AcceptedAndRemovedFromQuery()
    {
        await using var app = await StartAsync();

        var (status, body, _) = await SendAsync(app, "/books?a=1&access_token=" + _issuer.Token(Now) + "&b=2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("principal=https://issuer.example.com/alice", body, StringComparison.Ordinal);
        Assert.Contains("query=?a=1&b=2\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ExpiredToken_401EnvoyBodyAndWwwAuthenticate()
    {
        await using var app = await StartAsync();
        var token = _issuer.Token(Now, claims: c => c["exp"] = Now.AddMinutes(-5).ToUnixTimeSeconds());

        var (status, body, response) = await SendAsync(app, "/books/1?x=y", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Jwt is expired", body);
        Assert.Equal("Bearer realm=\"http://localhost/books/1\", error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("garbage", "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections")]
    [InlineData("a.b", "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections")]
    public async Task Invoke_MalformedToken_401(string token, string expectedBody)
    {
        await using var app = await StartAsync();

        var (status, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(expectedBody, body);
    }

    [Fact]
    public async Task Invoke_UnknownIssuer_401IssuerNotConfigured()
    {
        await using var app = await StartAsync();

        var (status, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _issuer.Token(Now, issuer: "https://evil.example.com")));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Jwt issuer is not configured", body);
    }

    [Fact]
    public async Task Invoke_AudienceNotAllowed_403()
    {
        await using var app = await StartAsync();

        var (status, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _issuer.Token(Now, claims: c => c["aud"] = "other")));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Audiences in Jwt are not allowed", body);
    }

    [Fact]
    public async Task Invoke_DuplicateAuthorizationHeaders_401()
    {
        await using var app = await StartAsync();
        var token = _issuer.Token(Now);

        var (status, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + token, "Bearer " + token]));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Found multiple Jwt tokens", body);
    }

    [Fact]
    public async Task Invoke_BasicAuthorization_NotAToken_Passes()
    {
        await using var app = await StartAsync();

        var (status, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Authorization", "Basic YWxpY2U6c2VjcmV0"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("principal=<none>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ClaimHeaders_WrittenNestedAndTypedOverwritingClientValues()
    {
        await using var app = await StartAsync(r => r
            .OutputClaimToHeader("x-user", "sub")
            .OutputClaimToHeader("x-tenant", "org.tenant.id")
            .OutputClaimToHeader("x-level", "level")
            .OutputClaimToHeader("x-admin", "admin")
            .OutputClaimToHeader("x-groups", "groups")
            .OutputPayloadToHeader("x-jwt-payload"));
        var token = _issuer.Token(Now, claims: c =>
        {
            c["org"] = new { tenant = new { id = "acme" } };
            c["level"] = 3;
            c["admin"] = true;
            c["groups"] = new[] { "a", "b" };
        });

        var (status, body, _) = await SendAsync(app, "/", r =>
        {
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            r.Headers.TryAddWithoutValidation("x-user", "mallory");
            r.Headers.TryAddWithoutValidation("x-groups", "admins");
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("x-user: alice\n", body, StringComparison.Ordinal);
        Assert.Contains("x-tenant: acme\n", body, StringComparison.Ordinal);
        Assert.Contains("x-level: 3\n", body, StringComparison.Ordinal);
        Assert.Contains("x-admin: true\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("x-groups", body, StringComparison.Ordinal);
        Assert.Contains("x-jwt-payload: " + token.Split('.')[1] + "\n", body, StringComparison.Ordinal);
        Assert.Contains("\"sub\":\"alice\"", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[1])), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_NoToken_ClientSentClaimHeadersRemoved()
    {
        await using var app = await StartAsync(r => r.OutputClaimToHeader("x-user", "sub").OutputPayloadToHeader("x-jwt-payload"));

        var (_, body, _) = await SendAsync(app, "/", r =>
        {
            r.Headers.TryAddWithoutValidation("x-user", "admin");
            r.Headers.TryAddWithoutValidation("x-jwt-payload", "eyJzdWIiOiJhZG1pbiJ9");
        });

        Assert.DoesNotContain("x-user", body, StringComparison.Ordinal);
        Assert.DoesNotContain("x-jwt-payload", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ForwardOriginalToken_AuthorizationKept()
    {
        await using var app = await StartAsync(r => r.ForwardOriginalToken());
        var token = _issuer.Token(Now);

        var (_, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));

        Assert.Contains("Authorization: Bearer " + token + "\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_FromHeaderWithPrefix_OnlyThatLocationRead()
    {
        await using var app = await StartAsync(r => r.FromHeader("x-jwt", "Token "));
        var token = _issuer.Token(Now);

        var (status, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("x-jwt", "Token " + token));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("principal=https://issuer.example.com/alice", body, StringComparison.Ordinal);
        Assert.DoesNotContain("x-jwt", body, StringComparison.Ordinal);

        // Authorization is not a location of this rule: the request simply has no token.
        (status, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("principal=<none>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_CachedTokenFromLocationItsRuleDoesNotList_401()
    {
        // Another rule reads Authorization; this issuer's rule reads only x-jwt (Istio: a token counts only in
        // its own rule's locations), before and after the token is in the validated-token cache.
        await using var app = await StartAsync(
            r => r.FromHeader("x-jwt", "Token "),
            more: g => g.AddJwtRule("https://other.example.com", r => r.Jwks(_issuer.Jwks())));
        var token = _issuer.Token(Now);

        var (status, _, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("x-jwt", "Token " + token))).Status);

        var (cachedStatus, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));
        Assert.Equal(HttpStatusCode.Unauthorized, cachedStatus);
        Assert.Equal("Jwt issuer is not configured", body);
    }

    [Fact]
    public async Task Invoke_FromCookie_Accepted()
    {
        await using var app = await StartAsync(r => r.FromCookie("session"));

        var (status, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Cookie", "theme=dark; session=" + _issuer.Token(Now)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("principal=https://issuer.example.com/alice", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_RepeatedToken_ServedFromCacheWithSamePrincipal()
    {
        await using var app = await StartAsync();
        var token = _issuer.Token(Now);

        for (var i = 0; i < 3; i++)
        {
            var (status, body, _) = await SendAsync(app, "/", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("principal=https://issuer.example.com/alice", body, StringComparison.Ordinal);
        }
    }


    [Fact]
    public async Task AddJwtRule_InvalidJwks_StartupFails()
    {
        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => StartAsync(r => r, jwks: "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}"));

        Assert.Contains("Jwks doesn't have any valid public key", error.Message, StringComparison.Ordinal);
    }

    private async Task<App> StartAsync(Func<Gateway.Middleware.Builder.GatewayJwtRuleBuilder, Gateway.Middleware.Builder.GatewayJwtRuleBuilder>? configure = null, string? jwks = "default", Action<Gateway.Middleware.Builder.IGatewayBuilder>? more = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(_time);
        var gateway = builder.Services.AddGateway();
        more?.Invoke(gateway);
        gateway.AddJwtRule(TestJwtIssuer.Issuer, r =>
        {
            r.Audiences("bookstore");
            if (jwks is not null)
            {
                r.Jwks(jwks == "default" ? _issuer.Jwks() : jwks);
            }

            configure?.Invoke(r);
        });
        var app = builder.Build();
        try
        {
            app.UseGatewayJwt();
            app.Run(EchoAsync);
            await app.StartAsync();
            return new App(app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static Task EchoAsync(HttpContext context)
    {
        var principal = (context.Features.Get<IGatewayFeature>() as GatewayFeature)?.Principal;
        var text = new StringBuilder();
        text.Append("principal=").Append(principal?.Name ?? "<none>").Append('\n');
        text.Append("query=").Append(context.Request.QueryString.Value).Append('\n');
        foreach (var header in context.Request.Headers)
        {
            text.Append(header.Key).Append(": ").Append(header.Value.ToString()).Append('\n');
        }

        return context.Response.WriteAsync(text.ToString());
    }

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(App app, string path, Action<HttpRequestMessage>? configure = null)
    {
        using var client = app.Web.GetTestClient();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private sealed class App(WebApplication web) : IAsyncDisposable
    {
        public WebApplication Web { get; } = web;

        public ValueTask DisposeAsync() => Web.DisposeAsync();
    }
}
