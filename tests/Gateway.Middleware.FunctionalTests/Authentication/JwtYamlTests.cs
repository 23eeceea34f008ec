using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Authentication;

/// <summary>An Istio RequestAuthentication loaded from YAML, enforced on real requests with a real JWKS endpoint.</summary>
[Collection(SerialTests.Name)]
public sealed class JwtYamlTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gw-jwt-").FullName;
    private readonly JwtKeys _rsa = JwtKeys.Rsa("rsa-1");

    public void Dispose()
    {
        _rsa.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task RequestAuthentication_FromYaml_JwksFetchedBeforeStartAndTokensChecked()
    {
        await using var jwks = await JwksEndpoint.StartAsync(JwtKeys.Jwks(_rsa));
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        var file = Path.Combine(_folder, "jwt.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {"{"}name: jwt, namespace: istio-system{"}"}
            spec:
              selector: {"{"}matchLabels: {"{"}istio: ingressgateway{"}}"}
              jwtRules:
              - issuer: {JwtKeys.Issuer}
                jwksUri: {jwks.Uri}
                audiences: [bookstore]
                outputClaimToHeaders: [{"{"}header: x-email, claim: email{"}"}]
            """);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("books", u => u.Endpoint(upstream.Address))
            .AddRoute("books", r => r.RouteTo("books"))
            .LoadIstioYaml(file, watch: false));

        // Rules from YAML alone are fetched before the server starts, as AddJwtRule's are: when StartAsync
        // returns (and a host reports ready), the key set is already there.
        Assert.Equal(1, jwks.Requests);
        using var client = gateway.CreateClient();
        using var valid = new HttpRequestMessage(HttpMethod.Get, "/books");
        valid.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _rsa.Token());
        using var ok = await client.SendAsync(valid);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("alice@example.com", upstream.Seen!["x-email"]);

        using var expired = new HttpRequestMessage(HttpMethod.Get, "/books");
        expired.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _rsa.Token(c => c["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds()));
        using var rejected = await client.SendAsync(expired);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("Jwt is expired", await rejected.Content.ReadAsStringAsync());
        Assert.Equal(1, jwks.Requests);
    }
}
