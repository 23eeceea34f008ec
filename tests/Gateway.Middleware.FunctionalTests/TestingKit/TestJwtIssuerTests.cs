using System.Net;
using System.Net.Http.Headers;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.TestingKit;

/// <summary>The kit's JWT issuer against the gateway's real RequestAuthentication stage.</summary>
public sealed class TestJwtIssuerTests
{
    [Theory]
    [InlineData(TestJwtAlgorithm.RS256)]
    [InlineData(TestJwtAlgorithm.ES256)]
    public async Task Token_FromJwksEndpoint_Accepted_ClaimsReachUpstream_ExpiredRejected(TestJwtAlgorithm algorithm)
    {
        await using var issuer = TestJwtIssuer.Create(algorithm: algorithm);
        await using var books = await FakeUpstream.StartAsync("books");
        var jwksUri = await issuer.StartJwksEndpointAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("books", u => u.Endpoint(books.Address))
            .AddRoute("books", r => r.RouteTo("books"))
            .AddJwtRule(issuer.Issuer, r => r.JwksUri(jwksUri).Audiences("bookstore").OutputClaimToHeader("x-team", "team").Timeout(TimeSpan.FromSeconds(30))));
        using var client = gateway.CreateClient();

        var valid = issuer.CreateToken("jason", "bookstore", new Dictionary<string, object?> { ["team"] = "reviews" });
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, valid));
        Assert.Equal("reviews", books.Single().Header("x-team"));

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, issuer.CreateToken(audience: "bookstore", lifetime: TimeSpan.FromMinutes(-5))));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(client, issuer.CreateToken(audience: "payments")));
        Assert.Equal(1, issuer.JwksRequests);
    }

    [Fact]
    public async Task InlineJwks_TokenWithoutExp_RejectedUnlessRuleAllowsIt()
    {
        await using var issuer = TestJwtIssuer.Create("https://inline.test", TestJwtAlgorithm.ES256, keyId: "k1");
        await using var books = await FakeUpstream.StartAsync("books");
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("books", u => u.Endpoint(books.Address))
            .AddRoute("books", r => r.RouteTo("books"))
            .AddJwtRule(issuer.Issuer, r => r.Jwks(issuer.Jwks)));
        using var client = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, issuer.CreateToken()));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, issuer.CreateToken(claims: new Dictionary<string, object?> { ["exp"] = null })));
        Assert.Contains("\"kid\":\"k1\"", issuer.Jwks, StringComparison.Ordinal);
        Assert.DoesNotContain("\"d\"", issuer.Jwks, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/books");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
