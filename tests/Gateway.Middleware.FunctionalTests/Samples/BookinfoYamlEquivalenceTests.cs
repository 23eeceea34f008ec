using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bookinfo.Demo;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// <c>samples/Bookinfo</c>'s Program.cs gateway and <c>samples/IstioGateway/config/bookinfo/</c> loaded by the
/// IstioGateway host are the same gateway: the same requests get the same status, body and gateway headers, the
/// 80/20 split holds on both, and their compiled route tables (matches, destinations, weights, timeouts,
/// retries, CORS) are equal.
/// </summary>
[Collection(BookinfoSamples.Name)]
public sealed class BookinfoYamlEquivalenceTests(BookinfoFixture fixture) : IDisposable
{
    private static readonly string[] ComparedHeaders =
    [
        "content-type", "www-authenticate", "access-control-allow-origin", "access-control-allow-methods",
        "access-control-allow-headers", "access-control-max-age", "access-control-allow-credentials", "location",
    ];

    private readonly HttpClient _client = CreateClient(fixture.Demo.Pki.Ca);

    public void Dispose() => _client.Dispose();

    public static TheoryData<int, string, string, string, string> Requests => new()
    {
        // status, name, method, path, headers ("a: b|c: d"); $TOKEN and friends are minted by the sample's demo issuer.
        { 200, "jason gets v2 (reviews-test-v2)", "GET", "/reviews/0", "end-user: jason" },
        { 200, "jason gets v2, any id", "GET", "/reviews/7", "end-user: jason" },
        { 200, "jason's product page: v2, black stars", "GET", "/productpage", "end-user: jason" },
        { 403, "API without token: 403 RBAC", "GET", "/api/v1/products", "" },
        { 403, "API, sub-path without token: 403 RBAC", "GET", "/api/v1/products/0/ratings", "" },
        { 200, "API with the token: 200", "GET", "/api/v1/products", "authorization: Bearer $TOKEN" },
        { 200, "API details with the token: 200", "GET", "/api/v1/products/0", "authorization: Bearer $TOKEN" },
        { 200, "API ratings with the token: 200", "GET", "/api/v1/products/0/ratings", "authorization: Bearer $TOKEN" },
        { 200, "API token in access_token: 200", "GET", "/api/v1/products?access_token=$TOKEN", "" },
        { 401, "API expired token: 401", "GET", "/api/v1/products", "authorization: Bearer $EXPIRED" },
        { 403, "API other audience: 403", "GET", "/api/v1/products", "authorization: Bearer $OTHER_AUDIENCE" },
        { 401, "API forged token: 401", "GET", "/api/v1/products", "authorization: Bearer $FORGED" },
        { 401, "API malformed token: 401", "GET", "/api/v1/products", "authorization: Bearer abc.def" },
        { 200, "CORS preflight, allowed origin: answered by the gateway", "OPTIONS", "/api/v1/products", "origin: https://store.example.com|access-control-request-method: GET|access-control-request-headers: authorization" },
        { 403, "CORS preflight, other origin: not answered by CORS, so the API rule applies: 403", "OPTIONS", "/api/v1/products", "origin: https://evil.example.com|access-control-request-method: GET" },
        { 200, "CORS actual request, allowed origin", "GET", "/api/v1/products", "origin: https://store.example.com|authorization: Bearer $TOKEN" },
        { 404, "ratings is not exposed: 404", "GET", "/ratings/0", "" },
        { 404, "reviews needs an id: 404", "GET", "/reviews", "" },
        { 404, "other host: 404", "GET", "/productpage", "host: other.example.com" },
        { 404, "login goes to productpage (which has no login: its 404)", "GET", "/login", "" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task SameRequest_SameAnswer(int status, string name, string method, string path, string headers)
    {
        var program = await SendAsync(fixture.Demo.HttpPort, https: false, method, path, headers);
        var yaml = await SendAsync(fixture.YamlHttpPort, https: false, method, path, headers);

        Assert.True(program.Status == status, $"{name}: {program.Status} {program.Body}");
        Assert.Equal(program, yaml);
    }

    [Theory]
    [InlineData("/productpage", "end-user: jason")]
    [InlineData("/api/v1/products", "authorization: Bearer $TOKEN")]
    [InlineData("/api/v1/products", "")]
    public async Task Https_SameAnswer(string path, string headers)
    {
        var program = await SendAsync(fixture.Demo.HttpsPort, https: true, "GET", path, headers);
        var yaml = await SendAsync(fixture.YamlHttpsPort, https: true, "GET", path, headers);

        Assert.Equal(program, yaml);
        Assert.NotEqual(0, program.Status);
    }

    /// <summary>Everyone but jason: 80 % v1, 20 % v3, never v2, on both gateways.</summary>
    [Fact]
    public async Task Reviews_EveryoneElse_80To20OnBoth()
    {
        foreach (var port in (int[])[fixture.Demo.HttpPort, fixture.YamlHttpPort])
        {
            var pods = new Dictionary<string, int>();
            for (var i = 0; i < 200; i++)
            {
                var answer = await SendAsync(port, https: false, "GET", "/reviews/0", "end-user: kim");
                Assert.Equal(200, answer.Status);
                using var json = JsonDocument.Parse(answer.Body);
                var pod = json.RootElement.GetProperty("podname").GetString()!;
                pods[pod] = pods.GetValueOrDefault(pod) + 1;
            }

            Assert.Equal(["reviews-v1", "reviews-v3"], pods.Keys.Order());
            // 160 expected, σ ≈ 5.7: ±30 is beyond 5σ.
            Assert.InRange(pods["reviews-v1"], 130, 190);
        }
    }

    /// <summary>
    /// The compiled route tables, as <c>/config_dump</c> shows them, with names, sources and ports left out:
    /// matches, destinations (service, subset, weight), timeouts, retries and CORS in the same order.
    /// </summary>
    [Fact]
    public void RouteTables_Equal()
    {
        var program = Routes(fixture.SampleServices, fixture.Demo.HttpPort);
        var yaml = Routes(fixture.YamlServices, fixture.YamlHttpPort);

        Assert.Equal(3, program.Count);
        Assert.Equal(program.Select(r => r.ToJsonString()), yaml.Select(r => r.ToJsonString()));
    }

    private static List<JsonObject> Routes(IServiceProvider services, int port)
    {
        var provider = services.GetRequiredService<GatewayConfigProvider>();
        var dump = ConfigDump.Build(provider.Current, generation: 1);
        var table = dump["routes"]!.AsArray().Single(t => (string?)t!["port"] == port.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
        var routes = new List<JsonObject>();
        foreach (var virtualHost in table["virtualHosts"]!.AsArray())
        {
            foreach (var route in virtualHost!["routes"]!.AsArray())
            {
                var destinations = new JsonArray();
                foreach (var destination in route!["destinations"]!.AsArray())
                {
                    destinations.Add(new JsonObject
                    {
                        // "reviews" in code, "reviews.default.svc.cluster.local" in YAML: the same service.
                        ["service"] = ((string)destination!["host"]!).Split('.')[0],
                        ["subset"] = destination["subset"]?.DeepClone(),
                        ["weight"] = destination["weight"]?.DeepClone(),
                    });
                }

                routes.Add(new JsonObject
                {
                    ["match"] = route["match"]!.DeepClone(),
                    ["destinations"] = destinations,
                    ["timeout"] = route["timeout"]?.DeepClone(),
                    ["retries"] = route["retries"]!.DeepClone(),
                    ["cors"] = route["cors"]?.DeepClone(),
                });
            }
        }

        return routes;
    }

    private async Task<Answer> SendAsync(int port, bool https, string method, string path, string headers)
    {
        var demo = fixture.Demo;
        path = Expand(path);
        using var request = new HttpRequestMessage(new HttpMethod(method), https ? $"https://{BookinfoDemo.Host}:{port}{path}" : $"http://127.0.0.1:{port}{path}");
        request.Headers.Host = BookinfoDemo.Host;
        foreach (var header in Expand(headers).Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (header[..header.IndexOf(':', StringComparison.Ordinal)], header[(header.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
            if (key == "host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(key, value);
            }
        }

        using var response = await _client.SendAsync(request);
        var seen = new List<string>();
        foreach (var name in ComparedHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                seen.Add($"{name}: {string.Join(",", values)}");
            }
        }

        return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync(), string.Join("\n", seen));

        string Expand(string text) => text
            .Replace("$TOKEN", demo.Token, StringComparison.Ordinal)
            .Replace("$EXPIRED", demo.Issuer.CreateToken("jason", TimeSpan.FromHours(-1)), StringComparison.Ordinal)
            .Replace("$OTHER_AUDIENCE", demo.Issuer.CreateToken("jason", TimeSpan.FromHours(1), audience: "other"), StringComparison.Ordinal)
            .Replace("$FORGED", Forged(demo.Token), StringComparison.Ordinal);
    }

    /// <summary>The token with its payload's subject changed, signature kept.</summary>
    private static string Forged(string token)
    {
        var parts = token.Split('.');
        var payload = Convert.FromBase64String(parts[1].Replace('-', '+').Replace('_', '/') + new string('=', (4 - (parts[1].Length % 4)) % 4));
        var changed = System.Text.Encoding.UTF8.GetString(payload).Replace("\"jason\"", "\"admin\"", StringComparison.Ordinal);
        return parts[0] + "." + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(changed)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." + parts[2];
    }

    private static HttpClient CreateClient(X509Certificate2 ca)
    {
        var handler = new SocketsHttpHandler
        {
            // https://bookinfo.example.com:<port> is dialled on 127.0.0.1 (curl's --resolve), keeping the name for SNI.
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        return new HttpClient(handler);
    }

    private sealed record Answer(int Status, string Body, string Headers);
}
