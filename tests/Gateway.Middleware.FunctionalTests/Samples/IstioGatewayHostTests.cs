using System.Globalization;
using System.Net;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using IstioGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// The <c>samples/IstioGateway</c> host, started in-process on real sockets with the same command line the
/// conformance kit uses (<c>--config &lt;dir&gt; --address 127.0.0.1 --status-port &lt;port&gt;</c>).
/// </summary>
public sealed class IstioGatewayHostTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gw-host-").FullName;
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync()
        => _upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync($"reviews saw {context.Request.Path}"));

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Start_YamlConfig_ReadyOnTheStatusPortAndRoutesThroughARealUpstream()
    {
        var port = ErrorMappingTests.GetClosedPort();
        await File.WriteAllTextAsync(Path.Combine(_folder, "bookinfo.yaml"), Config(port));
        await using var host = await IstioGatewayHost.BuildAsync(["--config", _folder, "--address", "127.0.0.1", "--status-port=0"], Quiet);
        Assert.False(host.IsReady);

        await host.StartAsync();
        using var client = new HttpClient();

        using var ready = await client.GetAsync($"http://127.0.0.1:{host.StatusPort}/healthz/ready");
        using var live = await client.GetAsync($"http://127.0.0.1:{host.StatusPort}/healthz/live");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal([port], host.GatewayPorts);

        using var routed = await GetAsync(client, port, "bookinfo.example.com", "/reviews/1");
        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        Assert.Equal("reviews saw /reviews/1", await routed.Content.ReadAsStringAsync());

        using var unrouted = await GetAsync(client, port, "other.example.com", "/reviews/1");
        Assert.Equal(HttpStatusCode.NotFound, unrouted.StatusCode);

        // The status port is its own listener (Istio's 15021): gateway routes are not served there.
        using var statusPortRoute = await GetAsync(client, host.StatusPort, "bookinfo.example.com", "/reviews/1");
        Assert.Equal(HttpStatusCode.NotFound, statusPortRoute.StatusCode);

        await host.StopAsync();
        Assert.False(host.IsReady);
    }

    [Fact]
    public async Task Build_InvalidConfig_FailsWithEveryErrorNamingResourceAndField()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "vs.yaml"), Config(ErrorMappingTests.GetClosedPort())
            .Replace("prefix: /reviews", "regex: \"([a-z\"", StringComparison.Ordinal)
            .Replace("resolution: STATIC", "resolution: STATIK", StringComparison.Ordinal));

        var exception = await Assert.ThrowsAsync<GatewayConfigurationException>(
            () => IstioGatewayHost.BuildAsync(["--config", _folder, "--address", "127.0.0.1", "--status-port", "0"], Quiet));

        Assert.Contains(exception.Errors, e => e.StartsWith("vs.yaml#2 VirtualService default/reviews: spec.http[0].match[0].uri.regex: invalid pattern '([a-z'", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, e => e.StartsWith("vs.yaml#4 ServiceEntry default/reviews: spec.resolution:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_InvalidConfig_PrintsEachErrorOnItsOwnLineAndExits1()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "vs.yaml"), Config(ErrorMappingTests.GetClosedPort()).Replace("prefix: /reviews", "regex: \"([a-z\"", StringComparison.Ordinal));
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        var exitCode = await IstioGatewayHost.RunAsync(["--config", _folder, "--status-port", "0"], output, error);

        Assert.Equal(1, exitCode);
        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("vs.yaml#2 VirtualService default/reviews: spec.http[0].match[0].uri.regex: invalid pattern", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new string[0], "--config is required")]
    [InlineData(new[] { "--config" }, "--config needs a value")]
    [InlineData(new[] { "--config", "x", "--status-port", "http" }, "--status-port 'http' is not a port number")]
    [InlineData(new[] { "--config", "x", "--address", "example.com" }, "--address 'example.com' is not an IP address")]
    [InlineData(new[] { "--config", "x", "--verbose" }, "unknown argument '--verbose'")]
    public async Task Run_BadCommandLine_PrintsWhyAndUsageAndExits2(string[] args, string reason)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        var exitCode = await IstioGatewayHost.RunAsync(args, output, error);

        Assert.Equal(2, exitCode);
        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Usage: IstioGateway --config <file-or-folder>", error.ToString(), StringComparison.Ordinal);
    }

    private static void Quiet(WebApplicationBuilder builder) => builder.Logging.ClearProviders();

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, int port, string host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    private string Config(int port) => $$$"""
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
            - uri:
                prefix: /reviews
            route:
            - destination: {host: reviews, subset: v1}
              weight: 100
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews
          subsets: [{name: v1, labels: {version: v1}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: {{{_upstream.Port}}}}, labels: {version: v1}}]
        """;
}
