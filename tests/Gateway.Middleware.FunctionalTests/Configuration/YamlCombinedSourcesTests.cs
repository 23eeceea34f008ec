using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// YAML merged with the other sources (docs/configuration.md, "Combining with the builder and YAML"): a
/// VirtualService may send to an upstream declared in code or in another YAML source; a host declared nowhere
/// still answers 503 at run time, however many sources name it.
/// </summary>
public sealed class YamlCombinedSourcesTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gw-yaml-").FullName;
    private YamlEchoUpstream _reviews = null!;

    public async Task InitializeAsync() => _reviews = await YamlEchoUpstream.StartAsync("reviews");

    public async Task DisposeAsync()
    {
        await _reviews.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task VirtualService_DestinationDeclaredInCode_Served()
    {
        var port = YamlGateway.ReservePort();
        var routes = await WriteAsync("routes", GatewayAndVirtualService(port, "reviews"));

        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("reviews.default.svc.cluster.local", u => u.Endpoint($"http://127.0.0.1:{_reviews.Port}")).LoadIstioYaml(routes, watch: false),
            port: port);

        Assert.Equal("reviews", (await YamlEchoUpstream.ReadAsync(await SendAsync(gateway))).Upstream);
    }

    [Fact]
    public async Task VirtualService_ServiceEntryInAnotherYamlSource_Served()
    {
        var port = YamlGateway.ReservePort();
        var routes = await WriteAsync("routes", GatewayAndVirtualService(port, "reviews"));
        var services = await WriteAsync("services", YamlGateway.Fill(ReviewsServiceEntry, ("REVIEWS", _reviews.Port)));

        await using var gateway = await GatewayHost.StartAsync(g => g.LoadIstioYaml(routes, watch: false).LoadIstioYaml(services, watch: false), port: port);

        Assert.Equal("reviews", (await YamlEchoUpstream.ReadAsync(await SendAsync(gateway))).Upstream);
    }

    [Fact]
    public async Task VirtualServices_InTwoSourcesNamingAHostDeclaredNowhere_503()
    {
        var port = YamlGateway.ReservePort();
        var first = await WriteAsync("first", GatewayAndVirtualService(port, "missing"));
        var second = await WriteAsync("second", """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: other}
            spec:
              hosts: [other.example.com]
              gateways: [gw]
              http:
              - route: [{destination: {host: missing, subset: v2}}]
            """);

        await using var gateway = await GatewayHost.StartAsync(g => g.LoadIstioYaml(first, watch: false).LoadIstioYaml(second, watch: false), port: port);

        using var response = await SendAsync(gateway);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no healthy upstream", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> WriteAsync(string name, string yaml)
    {
        var file = Path.Combine(_folder, name + ".yaml");
        await File.WriteAllTextAsync(file, yaml);
        return file;
    }

    private static async Task<HttpResponseMessage> SendAsync(GatewayHost gateway)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reviews/0");
        request.Headers.Host = "bookinfo.example.com";
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static string GatewayAndVirtualService(int port, string host) => YamlGateway.Fill("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          servers:
          - port: {number: $PORT, name: http, protocol: HTTP}
            hosts: [bookinfo.example.com, other.example.com]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: bookinfo}
        spec:
          hosts: [bookinfo.example.com]
          gateways: [gw]
          http:
          - route: [{destination: {host: HOST}}]
        """, ("PORT", port)).Replace("HOST", host, StringComparison.Ordinal);

    private const string ReviewsServiceEntry = """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 80, name: http}]
          endpoints: [{address: 127.0.0.1, ports: {http: $REVIEWS}}]
        """;
}
