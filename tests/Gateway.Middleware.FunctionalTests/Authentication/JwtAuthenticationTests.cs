using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Authentication;

/// <summary>
/// The JWT stage through <c>UseGateway()</c> on real sockets: a real JWKS endpoint, real RS256/ES256 tokens, a
/// real upstream. Istio's authn-policy task behaviours (no token → allowed; invalid → 401), key rotation and
/// JWKS outages (last good kept; cold cache → 401, never 500, never a hang).
/// </summary>
[Collection(SerialTests.Name)]
public sealed class JwtAuthenticationTests : IDisposable
{
    private readonly JwtKeys _rsa = JwtKeys.Rsa("rsa-1");
    private readonly JwtKeys _ec = JwtKeys.EC("ec-1");

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }

    [Fact]
    public async Task Request_ValidRs256AndEs256Tokens_ForwardedWithClaimHeaderWithoutAuthorization()
    {
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(_rsa, _ec));
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, jwks.Uri);
        using var client = gateway.CreateClient();

        foreach (var token in new[] { _rsa.Token(), _ec.Token() })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/books");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.TryAddWithoutValidation("x-email", "mallory@example.com");
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("alice@example.com", upstream.Seen!["x-email"]);
            Assert.False(upstream.Seen.ContainsKey("Authorization"));
        }

        // The first fetch happened at startup, before the first request.
        Assert.Equal(1, jwks.Requests);
    }

    [Fact]
    public async Task Request_NoToken_ForwardedWithoutClaimHeaders()
    {
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(_rsa));
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, jwks.Uri);

        // Fetched before the server accepted its first connection.
        Assert.Equal(1, jwks.Requests);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/books");
        request.Headers.TryAddWithoutValidation("x-email", "admin@example.com");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(upstream.Seen!.ContainsKey("x-email"));
    }

    [Fact]
    public async Task Request_InvalidToken_401EnvoyBodyAndWwwAuthenticateNotForwarded()
    {
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(_rsa));
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, jwks.Uri);
        using var client = gateway.CreateClient();
        using var forger = JwtKeys.Rsa("rsa-1");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/books?page=2");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", forger.Token());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwt verification fails", await response.Content.ReadAsStringAsync());
        Assert.Equal($"Bearer realm=\"http://127.0.0.1:{gateway.Port}/books\", error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Null(upstream.Seen);
    }

    [Fact]
    public async Task Request_WrongAudience_403()
    {
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(_rsa));
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, jwks.Uri);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/books");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _rsa.Token(c => c["aud"] = "payments"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Audiences in Jwt are not allowed", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_IssuerRotatesToNewKid_RefetchedWithoutRestart()
    {
        using var next = JwtKeys.Rsa("rsa-2");
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(_rsa));
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, jwks.Uri);
        using var client = gateway.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, _rsa.Token()));

        jwks.Json = JwtKeys.Jwks(next);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, next.Token()));
        Assert.Equal(2, jwks.Requests);
    }

    [Fact]
    public async Task Request_JwksOutageAfterGoodFetch_LastGoodKeysKept()
    {
        using var unknown = JwtKeys.Rsa("rsa-unknown");
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(_rsa));
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, jwks.Uri);
        using var client = gateway.CreateClient();
        jwks.Fail = true;

        // An unknown kid forces a refetch, which fails; the good set stays.
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, unknown.Token()));
        Assert.Equal(2, jwks.Requests);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, _rsa.Token()));
    }

    [Fact]
    public async Task Request_JwksDownFromStart_401NotServerError()
    {
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(_rsa));
        jwks.Fail = true;
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, jwks.Uri);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/books");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _rsa.Token());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwks doesn't have any valid public key", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Startup_JwksNeverAnswers_StartsWithinTimeoutAndAnswers401()
    {
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(_rsa));
        jwks.Hang = true;
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        var started = Stopwatch.StartNew();
        await using var gateway = await StartGatewayAsync(upstream.Address, jwks.Uri, TimeSpan.FromSeconds(1));
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        using var client = gateway.CreateClient();

        var answered = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, _rsa.Token()));
        Assert.InRange(answered.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, null));
    }

    [Fact]
    public async Task Startup_JwksUriOnMetadataAddress_NeverDialledTokens401()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, "http://169.254.169.254/latest/meta-data/jwks");
        using var client = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, _rsa.Token()));
    }

    private static Task<GatewayHost> StartGatewayAsync(string upstream, string jwksUri, TimeSpan? timeout = null)
        => GatewayHost.StartAsync(g => g
            .AddUpstream("books", u => u.Endpoint(upstream))
            .AddRoute("books", r => r.RouteTo("books"))
            .AddJwtRule(JwtKeys.Issuer, r => r
                .JwksUri(jwksUri)
                .Audiences("bookstore")
                .OutputClaimToHeader("x-email", "email")
                .Timeout(timeout ?? TimeSpan.FromSeconds(5))));

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/books");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
