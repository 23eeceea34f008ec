using System.Net;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// Istio YAML loaded with <c>LoadIstioYaml</c> and watched: valid changes are served without failed
/// requests, invalid ones are refused while the last good configuration keeps serving.
/// </summary>
public sealed class YamlReloadTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gw-yaml-" + Guid.NewGuid().ToString("N"));
    private TestUpstream _blue = null!;
    private TestUpstream _green = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _blue = await TestUpstream.StartAsync(context => context.Response.WriteAsync("blue"));
        _green = await TestUpstream.StartAsync(context => context.Response.WriteAsync("green"));
    }

    public async Task DisposeAsync()
    {
        await _blue.DisposeAsync();
        await _green.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task LoadIstioYaml_GatewayVirtualServiceServiceEntry_RoutesRealRequests()
    {
        var port = ErrorMappingTests.GetClosedPort();
        await File.WriteAllTextAsync(Path.Combine(_folder, "app.yaml"), Config(port, "blue"));
        await using var gateway = await GatewayHost.StartAsync(g => g.LoadIstioYaml(_folder), port: port);

        Assert.Equal("blue", await GetAsync(gateway, "app.example.com", "/"));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(gateway, "other.example.com", "/")).StatusCode);
    }

    [Fact]
    public async Task LoadIstioYaml_InvalidFileAtStart_FailsWithFileDocumentResourceAndField()
    {
        var port = ErrorMappingTests.GetClosedPort();
        await File.WriteAllTextAsync(Path.Combine(_folder, "app.yaml"), Config(port, "blue").Replace("prefix: /", "regex: \"(\"", StringComparison.Ordinal));

        var exception = await Assert.ThrowsAsync<GatewayConfigurationException>(() => GatewayHost.StartAsync(g => g.LoadIstioYaml(_folder), port: port));

        Assert.Contains(exception.Errors, e => e.StartsWith("app.yaml#2 VirtualService default/app: spec.http[0].match[0].uri.regex: invalid pattern", StringComparison.Ordinal));
    }

    /// <summary>Issue #4: requests keep flowing while the file changes three times (valid, valid, invalid).</summary>
    [Fact]
    public async Task Watch_ThreeChangesUnderLoad_ZeroFailedRequestsAndRightRoutingAfterEach()
    {
        var port = ErrorMappingTests.GetClosedPort();
        var file = Path.Combine(_folder, "app.yaml");
        await File.WriteAllTextAsync(file, Config(port, "blue"));
        await using var gateway = await GatewayHost.StartAsync(g => g.LoadIstioYaml(_folder), port: port);
        var monitor = gateway.Services.GetRequiredService<IGatewayConfigMonitor>();

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var sent = 0;
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = gateway.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Host = "app.example.com";
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Interlocked.Increment(ref sent);
                if (response.StatusCode != HttpStatusCode.OK || body is not ("blue" or "green"))
                {
                    lock (failures)
                    {
                        failures.Add($"{(int)response.StatusCode} {body}");
                    }
                }
            }
        })));

        // 1: valid, blue → green.
        await ChangeAndWaitAsync(monitor, file, Config(port, "green"), applied: true);
        Assert.Equal("green", await GetAsync(gateway, "app.example.com", "/"));

        // 2: valid, green → blue.
        await ChangeAndWaitAsync(monitor, file, Config(port, "blue"), applied: true);
        Assert.Equal("blue", await GetAsync(gateway, "app.example.com", "/"));

        // 3: invalid (weights that do not sum to 100): refused, blue keeps serving.
        await ChangeAndWaitAsync(monitor, file, Config(port, "green").Replace("weight: 100", "weight: 90", StringComparison.Ordinal), applied: false);
        Assert.Contains(monitor.LastRejectedErrors, e => e.Contains("app.yaml#2 VirtualService default/app", StringComparison.Ordinal));
        Assert.Equal("blue", await GetAsync(gateway, "app.example.com", "/"));

        await stop.CancelAsync();
        await load;
        Assert.Empty(failures);
        Assert.True(Volatile.Read(ref sent) > 20, $"only {sent} requests were sent during the reloads");
    }

    private static async Task ChangeAndWaitAsync(IGatewayConfigMonitor monitor, string file, string yaml, bool applied)
    {
        var outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded(object? sender, GatewayConfigReloadedEventArgs e) => outcome.TrySetResult(e.Applied);
        monitor.Reloaded += OnReloaded;
        try
        {
            await File.WriteAllTextAsync(file, yaml);
            // Issue #4: a change takes effect within 2 seconds.
            Assert.Equal(applied, await outcome.Task.WaitAsync(TimeSpan.FromSeconds(2)));
        }
        finally
        {
            monitor.Reloaded -= OnReloaded;
        }
    }

    private string Config(int port, string color)
    {
        var other = color == "blue" ? "green" : "blue";
        return """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: app-gateway, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: PORT, name: http, protocol: HTTP}
                hosts: ["app.example.com"]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: app, namespace: default}
            spec:
              hosts: ["app.example.com"]
              gateways: ["app-gateway"]
              http:
              - match:
                - uri: {prefix: /}
                route:
                - destination: {host: app.default.svc.cluster.local, subset: COLOR}
                  weight: 100
                - destination: {host: app.default.svc.cluster.local, subset: OTHER}
                  weight: 0
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: app, namespace: default}
            spec:
              host: app.default.svc.cluster.local
              subsets:
              - {name: blue, labels: {color: blue}}
              - {name: green, labels: {color: green}}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: app, namespace: default}
            spec:
              hosts: ["app.default.svc.cluster.local"]
              resolution: STATIC
              ports: [{number: 80, name: http, protocol: HTTP}]
              endpoints:
              - {address: 127.0.0.1, ports: {http: BLUE_PORT}, labels: {color: blue}}
              - {address: 127.0.0.1, ports: {http: GREEN_PORT}, labels: {color: green}}
            """
            .Replace("BLUE_PORT", _blue.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("GREEN_PORT", _green.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("COLOR", color, StringComparison.Ordinal)
            .Replace("OTHER", other, StringComparison.Ordinal);
    }

    private static async Task<string> GetAsync(GatewayHost gateway, string host, string path)
    {
        using var response = await SendAsync(gateway, host, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(GatewayHost gateway, string host, string path)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }
}
