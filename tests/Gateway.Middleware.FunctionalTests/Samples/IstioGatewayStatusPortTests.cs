using System.Net;
using System.Text.Json;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using IstioGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// The host's status port (Istio's 15021/15000 admin endpoints): Prometheus text at <c>/stats/prometheus</c> and the
/// running configuration at <c>/config_dump</c>, served there and never on a gateway port.
/// </summary>
public sealed class IstioGatewayStatusPortTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gw-status-").FullName;
    private TestUpstream _upstream = null!;
    private IstioGatewayHost _host = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync($"reviews saw {context.Request.Path}"));
        _port = ErrorMappingTests.GetClosedPort();
        await File.WriteAllTextAsync(Path.Combine(_folder, "bookinfo.yaml"), Config(_port, _upstream.Port));
        _host = await IstioGatewayHost.BuildAsync(["--config", _folder, "--address", "127.0.0.1", "--status-port=0"], b => b.Logging.ClearProviders());
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task StatsPrometheus_AfterARoutedRequest_PrometheusTextWithTheServerRequestMetric()
    {
        using var client = new HttpClient();
        using var routed = await GetAsync(client, _port, "/reviews/1");
        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);

        // The server records the request once its response completed: poll the scrape until it shows up.
        // http_server_* is ASP.NET Core's; gateway_* is the gateway Meter's (either proves the export works).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string text;
        HttpResponseMessage scrape;
        do
        {
            scrape = await client.GetAsync($"http://127.0.0.1:{_host.StatusPort}/stats/prometheus");
            text = await scrape.Content.ReadAsStringAsync();
        }
        while (!HasRequestMetric(text) && DateTime.UtcNow < deadline && await Delay());

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.True(HasRequestMetric(text), text);
        Assert.Contains("# TYPE ", text, StringComparison.Ordinal);
        scrape.Dispose();
    }

    [Fact]
    public async Task ConfigDump_ListsTheYamlRoutesAndClustersWithTheirSourceFiles()
    {
        using var client = new HttpClient();

        using var response = await client.GetAsync($"http://127.0.0.1:{_host.StatusPort}/config_dump");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var dump = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = dump.RootElement;
        Assert.Equal(1, root.GetProperty("generation").GetInt64());

        var server = Assert.Single(root.GetProperty("servers").EnumerateArray());
        Assert.Equal(_port, server.GetProperty("port").GetInt32());
        Assert.StartsWith("bookinfo.yaml#1 Gateway default/bookinfo-gateway", server.GetProperty("source").GetString(), StringComparison.Ordinal);

        var table = Assert.Single(root.GetProperty("routes").EnumerateArray());
        Assert.Equal(_port.ToString(System.Globalization.CultureInfo.InvariantCulture), table.GetProperty("port").GetString());
        var virtualHost = Assert.Single(table.GetProperty("virtualHosts").EnumerateArray());
        Assert.Equal("bookinfo.example.com", virtualHost.GetProperty("name").GetString());
        var routes = virtualHost.GetProperty("routes").EnumerateArray().ToList();
        Assert.Equal(2, routes.Count);
        Assert.Equal("/reviews", routes[0].GetProperty("match")[0].GetProperty("uri").GetProperty("prefix").GetString());
        Assert.Equal("/", routes[1].GetProperty("match")[0].GetProperty("uri").GetProperty("prefix").GetString());
        Assert.StartsWith("bookinfo.yaml#2 VirtualService default/reviews", routes[0].GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal("spec.http[0]", routes[0].GetProperty("sourcePath").GetString());
        var destination = Assert.Single(routes[0].GetProperty("destinations").EnumerateArray());
        Assert.Equal("v1", destination.GetProperty("subset").GetString());
        Assert.Equal(100, destination.GetProperty("weight").GetInt32());

        var clusterName = destination.GetProperty("cluster").GetString();
        var cluster = Assert.Single(root.GetProperty("clusters").EnumerateArray(), c => c.GetProperty("name").GetString() == clusterName);
        Assert.StartsWith("outbound|", clusterName, StringComparison.Ordinal);
        Assert.EndsWith("|v1|reviews.default.svc.cluster.local", clusterName, StringComparison.Ordinal);
        Assert.Equal($"http://127.0.0.1:{_upstream.Port}", Assert.Single(cluster.GetProperty("endpoints").EnumerateArray()).GetProperty("address").GetString()?.TrimEnd('/'));
        Assert.StartsWith("bookinfo.yaml#4 ServiceEntry default/reviews", cluster.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal("roundRobin", cluster.GetProperty("loadBalancer").GetProperty("policy").GetString());
        Assert.StartsWith("bookinfo.yaml#3 DestinationRule default/reviews", cluster.GetProperty("trafficPolicySource").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/config_dump")]
    [InlineData("/stats/prometheus")]
    [InlineData("/healthz/ready")]
    public async Task StatusEndpoints_OnTheGatewayPort_NeverServed_TheRequestIsRouted(string path)
    {
        using var client = new HttpClient();

        using var response = await GetAsync(client, _port, path);

        // The catch-all route sends it to the upstream like any other path.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"reviews saw {path}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_StillAnswersOnTheStatusPort()
    {
        using var client = new HttpClient();

        using var ready = await client.GetAsync($"http://127.0.0.1:{_host.StatusPort}/healthz/ready");
        using var unknown = await client.GetAsync($"http://127.0.0.1:{_host.StatusPort}/reviews/1");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static bool HasRequestMetric(string text)
        => text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal) || text.Contains("\ngateway_", StringComparison.Ordinal);

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, int port, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        request.Headers.Host = "bookinfo.example.com";
        return await client.SendAsync(request);
    }

    private static string Config(int port, int upstreamPort) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: bookinfo-gateway, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: {{{port}}}, name: http, protocol: HTTP}
            hosts: ["bookinfo.example.com"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: ["bookinfo.example.com"]
          gateways: [bookinfo-gateway]
          http:
          - match:
            - uri: {prefix: /reviews}
            route:
            - destination: {host: reviews, subset: v1}
              weight: 100
          - match:
            - uri: {prefix: /}
            route:
            - destination: {host: reviews}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews
          trafficPolicy:
            loadBalancer: {simple: ROUND_ROBIN}
          subsets: [{name: v1, labels: {version: v1}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: {{{upstreamPort}}}}, labels: {version: v1}}]
        """;
}
