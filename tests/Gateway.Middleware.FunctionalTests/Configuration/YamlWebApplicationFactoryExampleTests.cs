using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Gateway.Middleware.FunctionalTests.Configuration;

// The example of docs/yaml.md, "Unit-testing an Istio config with WebApplicationFactory", verbatim: keep them in sync.

/// <summary>The gateway serving an Istio config, in TestServer: no Program of your own needed.</summary>
public sealed class IstioGatewayFactory(string configPath, int serverPort) : WebApplicationFactory<IstioGatewayFactory>
{
    // The host is the gateway alone, so there is no entry point to start.
    protected override IHostBuilder CreateHostBuilder() => Host.CreateDefaultBuilder().ConfigureLogging(logging => logging.ClearProviders());

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder
        .UseContentRoot(AppContext.BaseDirectory)
        .ConfigureServices(services => services.AddGateway().LoadIstioYaml(configPath, watch: false))
        .Configure(app =>
        {
            // TestServer has no socket, so no local port: say which Gateway server port requests arrive on.
            app.Use((context, next) =>
            {
                context.Connection.LocalPort = serverPort;
                return next(context);
            });
            app.UseGateway();
        });
}

public sealed class BookinfoRoutingTests : IAsyncLifetime
{
    // Your YAML, exactly as you apply it to the cluster (read it from your repository in a real test).
    private const string BookinfoGateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: bookinfo-gateway}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: bookinfo}
        spec:
          hosts: ["*"]
          gateways: [bookinfo-gateway]
          http:
          - match: [{uri: {exact: /productpage}}, {uri: {prefix: /static}}]
            route: [{destination: {host: productpage, port: {number: 9080}}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          gateways: [bookinfo-gateway, mesh]
          http:
          - match: [{headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """;

    private readonly string _config = Directory.CreateTempSubdirectory("istio-config-").FullName;
    private readonly List<WebApplication> _services = [];

    public async Task InitializeAsync()
    {
        // Fake services on real sockets, and ServiceEntries in place of the Kubernetes Services and their pods.
        var productpage = await StartServiceAsync("productpage");
        var reviewsV1 = await StartServiceAsync("reviews-v1");
        var reviewsV2 = await StartServiceAsync("reviews-v2");
        await File.WriteAllTextAsync(Path.Combine(_config, "bookinfo.yaml"), BookinfoGateway);
        await File.WriteAllTextAsync(Path.Combine(_config, "test-services.yaml"), $$"""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: productpage}
            spec:
              hosts: [productpage.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 9080, name: http}]
              endpoints:
              - address: 127.0.0.1
                ports: {http: {{productpage}} }
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews}
            spec:
              hosts: [reviews.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 9080, name: http}]
              endpoints:
              - address: 127.0.0.1
                ports: {http: {{reviewsV1}} }
                labels: {version: v1}
              - address: 127.0.0.1
                ports: {http: {{reviewsV2}} }
                labels: {version: v2}
            """);
    }

    [Fact]
    public async Task Config_IsValid()
    {
        // Starting the gateway loads and validates the YAML: an invalid file throws GatewayConfigurationException
        // listing every error as "file#doc Kind ns/name: field.path: why".
        await using var gateway = new IstioGatewayFactory(_config, serverPort: 8080);

        gateway.StartServer();
    }

    [Fact]
    public async Task Productpage_RoutedToProductpage()
    {
        await using var gateway = new IstioGatewayFactory(_config, serverPort: 8080);
        using var client = gateway.CreateClient();

        Assert.Equal("productpage", await client.GetStringAsync("/productpage"));
    }

    [Fact]
    public async Task UnknownPath_404()
    {
        await using var gateway = new IstioGatewayFactory(_config, serverPort: 8080);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("jason", "reviews-v2")]
    [InlineData("kim", "reviews-v1")]
    public async Task Reviews_JasonGetsV2(string user, string expected)
    {
        await using var gateway = new IstioGatewayFactory(_config, serverPort: 8080);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reviews/0");
        request.Headers.Host = "reviews.default.svc.cluster.local";
        request.Headers.Add("end-user", user);

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        Directory.Delete(_config, recursive: true);
    }

    /// <summary>A fake service on 127.0.0.1 that answers its name; returns its port.</summary>
    private async Task<int> StartServiceAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var service = builder.Build();
        service.Run(context => context.Response.WriteAsync(name));
        await service.StartAsync();
        _services.Add(service);
        return new Uri(service.Urls.First()).Port;
    }
}
