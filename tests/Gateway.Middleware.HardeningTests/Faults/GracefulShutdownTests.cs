using System.Net;
using System.Net.Sockets;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using IstioGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.HardeningTests.Faults;

/// <summary>
/// Stopping the gateway (SIGTERM in a pod: <c>IstioGatewayHost.StopAsync</c>) with requests in flight: the listener
/// closes at once, so new connections are refused, while every request already accepted runs to completion with
/// its whole body (Envoy's drain; Kubernetes sends no new traffic once readiness fails).
/// </summary>
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private const int InFlight = 8;
    private readonly string _config = Directory.CreateTempSubdirectory("gw-shutdown-").FullName;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync()
        => _upstream = await TestUpstream.StartAsync(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            Interlocked.Increment(ref _arrived);
            await _release.Task;
            await context.Response.WriteAsync($"done {context.Request.Path} {body.Length} " + new string('z', 100_000));
        });

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _upstream.DisposeAsync();
        Directory.Delete(_config, recursive: true);
    }

    [Fact]
    public async Task Stop_RequestsInFlight_AllCompleteAndNewConnectionsAreRefused()
    {
        var port = ReservePort();
        await File.WriteAllTextAsync(Path.Combine(_config, "gateway.yaml"), Config(port));
        await using var host = await IstioGatewayHost.BuildAsync(["--config", _config, "--address", "127.0.0.1", "--status-port=0"], b => b.Logging.ClearProviders());
        await host.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
        var requests = new Task<(HttpStatusCode Status, string Body)>[InFlight];
        for (var i = 0; i < InFlight; i++)
        {
            var path = $"/r{i}";
            var body = new string('b', i * 1000);
            requests[i] = Task.Run(async () =>
            {
                using var response = await client.PostAsync($"http://127.0.0.1:{port}{path}", new StringContent(body));
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            });
        }

        await Deadline.UntilAsync(() => Volatile.Read(ref _arrived) == InFlight, TimeSpan.FromSeconds(10), "every request reached the upstream");

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stopping = host.StopAsync(grace.Token);

        // New connections are refused while the accepted requests are still running.
        await Deadline.UntilAsync(() => IsRefused(port), TimeSpan.FromSeconds(5), "the listener closed");
        Assert.False(stopping.IsCompleted, "the host stopped before its in-flight requests finished");
        Assert.All(requests, r => Assert.False(r.IsCompleted));

        _release.SetResult();
        var results = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(20));
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));

        for (var i = 0; i < InFlight; i++)
        {
            Assert.Equal(HttpStatusCode.OK, results[i].Status);
            Assert.Equal($"done /r{i} {i * 1000} " + new string('z', 100_000), results[i].Body);
        }

        Assert.False(grace.IsCancellationRequested, "the drain needed the whole grace period");
    }

    private static bool IsRefused(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    private static int ReservePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string Config(int port) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          servers:
          - port: {number: {{{port}}}, name: http, protocol: HTTP}
            hosts: ["*/*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: app, namespace: default}
        spec:
          hosts: ["*"]
          gateways: [istio-system/gw]
          http: [{route: [{destination: {host: app}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: app, namespace: default}
        spec:
          hosts: [app.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 80, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: {{{_upstream.Port}}}}}]
        """;
}
