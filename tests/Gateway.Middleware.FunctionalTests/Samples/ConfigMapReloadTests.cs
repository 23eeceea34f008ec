using System.Globalization;
using System.Net;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using IstioGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// A ConfigMap mounted as a volume (samples/IstioGateway/deploy) is updated by the kubelet's atomic writer: every
/// key is a symlink <c>&lt;key&gt; → ..data/&lt;key&gt;</c>, <c>..data</c> is a symlink to a timestamped folder, and
/// an update writes a new timestamped folder, points <c>..data_tmp</c> at it, renames <c>..data_tmp</c> over
/// <c>..data</c> (one atomic rename) and deletes the old folder. The key's own symlink never changes, so a
/// watcher that only looks at <c>&lt;key&gt;</c> misses the update. These tests replay those steps against the
/// host's watched <c>--config</c>.
/// </summary>
public sealed class ConfigMapReloadTests : IAsyncLifetime
{
    private const string Key = "gateway.yaml";
    private readonly string _mount = Directory.CreateTempSubdirectory("gw-configmap-").FullName;
    private TestUpstream _blue = null!;
    private TestUpstream _green = null!;
    private int _version;

    public async Task InitializeAsync()
    {
        _blue = await TestUpstream.StartAsync(context => context.Response.WriteAsync("blue"));
        _green = await TestUpstream.StartAsync(context => context.Response.WriteAsync("green"));
    }

    public async Task DisposeAsync()
    {
        await _blue.DisposeAsync();
        await _green.DisposeAsync();
        Directory.Delete(_mount, recursive: true);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Watch_ConfigMapSymlinkSwap_NewConfigServed(bool configIsTheKeyFile)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // The kubelet's layout is Linux symlinks.
        }

        var port = ErrorMappingTests.GetClosedPort();
        WriteConfigMap(Config(port, _blue.Port));
        var config = configIsTheKeyFile ? Path.Combine(_mount, Key) : _mount;
        await using var host = await IstioGatewayHost.BuildAsync(["--config", config, "--address", "127.0.0.1", "--status-port", "0"], Quiet);
        await host.StartAsync();
        var monitor = host.Services.GetRequiredService<IGatewayConfigMonitor>();
        using var client = new HttpClient();
        Assert.Equal("blue", await GetAsync(client, port));

        WriteConfigMap(Config(port, _green.Port));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var body = "blue";
        while (body != "green" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            body = await GetAsync(client, port);
        }

        Assert.Equal("green", body);
        Assert.Empty(monitor.LastRejectedErrors);
    }

    /// <summary>The kubelet's AtomicWriter (pkg/volume/util/atomic_writer.go), step for step.</summary>
    private void WriteConfigMap(string text)
    {
        var previous = Directory.Exists(Path.Combine(_mount, "..data")) ? new DirectoryInfo(Path.Combine(_mount, "..data")).LinkTarget : null;
        var timestamped = "..2026_11_26_17_00_00." + (++_version).ToString("D9", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Path.Combine(_mount, timestamped));
        File.WriteAllText(Path.Combine(_mount, timestamped, Key), text);
        File.CreateSymbolicLink(Path.Combine(_mount, "..data_tmp"), timestamped);
        Rename(Path.Combine(_mount, "..data_tmp"), Path.Combine(_mount, "..data"));
        if (!File.Exists(Path.Combine(_mount, Key)) && new FileInfo(Path.Combine(_mount, Key)).LinkTarget is null)
        {
            File.CreateSymbolicLink(Path.Combine(_mount, Key), Path.Combine("..data", Key));
        }

        if (previous is not null)
        {
            Directory.Delete(Path.Combine(_mount, previous), recursive: true);
        }
    }

    /// <summary>rename(2) of a symlink over a symlink (File.Move follows the link to a folder and refuses).</summary>
    private static void Rename(string from, string to)
    {
        using var mv = System.Diagnostics.Process.Start("mv", ["-T", "-f", from, to]);
        mv.WaitForExit();
        Assert.Equal(0, mv.ExitCode);
    }

    private static void Quiet(WebApplicationBuilder builder) => builder.Logging.ClearProviders();

    private static async Task<string> GetAsync(HttpClient client, int port)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        request.Headers.Host = "app.example.com";
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static string Config(int port, int upstreamPort) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: {{{port}}}, name: http, protocol: HTTP}
            hosts: ["app.example.com"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: app, namespace: default}
        spec:
          hosts: ["app.example.com"]
          gateways: [gw]
          http:
          - route:
            - destination: {host: app.default.svc.cluster.local}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: app, namespace: default}
        spec:
          hosts: [app.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 80, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: {{{upstreamPort}}}}}]
        """;
}
