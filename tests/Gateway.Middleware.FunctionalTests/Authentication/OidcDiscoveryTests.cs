using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Authentication;

/// <summary>
/// OIDC discovery on real sockets: a rule with neither jwks nor jwksUri reads <c>jwks_uri</c> from a real
/// local <c>&lt;issuer&gt;/.well-known/openid-configuration</c>, then the keys from it.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class OidcDiscoveryTests : IDisposable
{
    private readonly JwtKeys _rsa = JwtKeys.Rsa("rsa-1");

    public void Dispose() => _rsa.Dispose();

    [Fact]
    public async Task Request_ValidToken_KeysFromDiscovery_200()
    {
        await using var idp = await IdentityProvider.StartAsync(JwtKeys.Jwks(_rsa));
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, idp.Issuer);
        using var client = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, _rsa.Token(c => c["iss"] = idp.Issuer)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, "a.b.c"));

        // Discovery and the keys were fetched at startup, before the first request.
        Assert.Equal(["/.well-known/openid-configuration", "/keys"], idp.Paths);
    }

    [Fact]
    public async Task Request_DiscoveryIssuerMismatch_401()
    {
        await using var idp = await IdentityProvider.StartAsync(JwtKeys.Jwks(_rsa));
        idp.DocumentIssuer = "https://evil.example.com";
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, idp.Issuer);
        using var client = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, _rsa.Token(c => c["iss"] = idp.Issuer)));
        Assert.DoesNotContain("/keys", idp.Paths);
    }

    [Fact]
    public async Task Request_DiscoveryEndpointDown_401NeverHang()
    {
        await using var idp = await IdentityProvider.StartAsync(JwtKeys.Jwks(_rsa));
        idp.Down = true;
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address, idp.Issuer);
        using var client = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, _rsa.Token(c => c["iss"] = idp.Issuer)));
    }

    private static Task<GatewayHost> StartGatewayAsync(string upstream, string issuer)
        => GatewayHost.StartAsync(g => g
            .AddUpstream("books", u => u.Endpoint(upstream))
            .AddRoute("books", r => r.RouteTo("books"))
            .AddJwtRule(issuer, r => r.Audiences("bookstore").Timeout(TimeSpan.FromSeconds(5))));

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/books");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A real issuer on Kestrel: its discovery document points at its own /keys.</summary>
    private sealed class IdentityProvider : IAsyncDisposable
    {
        private readonly List<string> _paths = [];
        private TestUpstream _upstream = null!;

        public string Issuer => _upstream.Address;

        public string? DocumentIssuer { get; set; }

        public volatile bool Down;

        public List<string> Paths
        {
            get
            {
                lock (_paths)
                {
                    return [.. _paths];
                }
            }
        }

        public static async Task<IdentityProvider> StartAsync(string jwks)
        {
            var idp = new IdentityProvider();
            idp._upstream = await TestUpstream.StartAsync(async context =>
            {
                var path = context.Request.Path.Value ?? "";
                lock (idp._paths)
                {
                    idp._paths.Add(path);
                }

                if (idp.Down)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }

                context.Response.ContentType = "application/json";
                switch (path)
                {
                    case "/.well-known/openid-configuration":
                        await context.Response.WriteAsync(JsonSerializer.Serialize(new { issuer = idp.DocumentIssuer ?? idp.Issuer, jwks_uri = idp.Issuer + "/keys" }));
                        break;
                    case "/keys":
                        await context.Response.WriteAsync(jwks);
                        break;
                    default:
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        break;
                }
            });
            return idp;
        }

        public ValueTask DisposeAsync() => _upstream.DisposeAsync();
    }
}
