using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.Tls;
using IstioGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.HardeningTests.Faults;

/// <summary>
/// The combined case of issues #4, #6 and #10: one IstioGateway host serving watched YAML — an HTTPS server whose
/// certificate comes from files, routed to upstreams over mTLS with a client certificate from files — under steady
/// load while, in turn, the gateway's certificate files are replaced, the upstream client certificate files are
/// replaced, the YAML changes the route, and a broken YAML is written. Zero requests may fail; each change must be
/// seen taking effect (new connections get the new certificate, the upstream sees the new identity, traffic moves).
/// </summary>
public sealed class RotationUnderLoadTests : IAsyncLifetime
{
    private const string Host = "app.example.com";
    private const string SpiffeA = "spiffe://cluster.local/ns/istio-system/sa/gateway-a";
    private const string SpiffeB = "spiffe://cluster.local/ns/istio-system/sa/gateway-b";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly string _config = Directory.CreateTempSubdirectory("gw-rotation-").FullName;
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("rotation-ca");
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, bool> _seen = new();
    private TestUpstream _blue = null!;
    private TestUpstream _green = null!;
    private int _completed;

    public async Task InitializeAsync()
    {
        _blue = await StartUpstreamAsync("blue");
        _green = await StartUpstreamAsync("green");
    }

    public async Task DisposeAsync()
    {
        await _blue.DisposeAsync();
        await _green.DisposeAsync();
        _ca.Dispose();
        Directory.Delete(_config, recursive: true);
    }

    [Fact]
    public async Task YamlReloadAndGatewayAndUpstreamCertificateRotation_UnderLoad_ZeroFailedRequests()
    {
        var port = ReservePort();
        WriteServerCertificate("gateway-v1");
        WriteClientCertificate("gateway-a", SpiffeA);
        TestCertificates.WriteBundle(_config, "ca", _ca);
        var yaml = Path.Combine(_config, "gateway.yaml");
        await File.WriteAllTextAsync(yaml, Config(port, "blue"));
        await using var host = await IstioGatewayHost.BuildAsync(
            ["--config", _config, "--address", "127.0.0.1", "--status-port=0"],
            b =>
            {
                b.Logging.ClearProviders();
                b.Services.Configure<GatewayTlsOptions>(o => o.CertificateCheckInterval = TimeSpan.FromMilliseconds(100));
            });
        await host.StartAsync();
        var monitor = host.Services.GetRequiredService<IGatewayConfigMonitor>();

        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(() => LoadAsync(port, stop.Token))).ToArray();
        await WaitForAsync("CN=gateway-v1", "blue", SpiffeA);

        // 1. The gateway's own certificate files replaced (each file atomically, as a Kubernetes secret update).
        WriteServerCertificate("gateway-v2");
        await WaitForAsync("CN=gateway-v2");

        // 2. The upstream client certificate files replaced.
        WriteClientCertificate("gateway-b", SpiffeB);
        await WaitForAsync(SpiffeB);

        // 3. The route moves to the other subset.
        Assert.True(await ChangeAsync(monitor, yaml, Config(port, "green")));
        await WaitForAsync("green");

        // 4. A broken change is refused; traffic carries on, still green.
        Assert.False(await ChangeAsync(monitor, yaml, Config(port, "green").Replace("weight: 100", "weight: 90", StringComparison.Ordinal)));
        var before = Volatile.Read(ref _completed);
        await Faults.Deadline.UntilAsync(() => Volatile.Read(ref _completed) > before + 20, Deadline, "requests after the refused change");

        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.True(_failures.IsEmpty, string.Join(" | ", _failures.Take(10)));
        Assert.True(_completed > 50, $"only {_completed} requests completed");
    }

    private async Task LoadAsync(int port, CancellationToken stop)
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,

            // New connections all the time, so the gateway certificate in use is always the current one.
            PooledConnectionLifetime = TimeSpan.FromMilliseconds(50),
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    _seen[leaf.Subject] = true;
                    return IsIssuedByCa(leaf);
                },
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{port}/");
                request.Headers.Host = Host;
                using var response = await client.SendAsync(request, stop);
                var body = await response.Content.ReadAsStringAsync(stop);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    _failures.Enqueue($"{(int)response.StatusCode} {body}");
                    continue;
                }

                // "<color> <client SAN the upstream saw>"
                foreach (var part in body.Split(' '))
                {
                    _seen[part] = true;
                }

                Interlocked.Increment(ref _completed);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _failures.Enqueue($"{ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private async Task WaitForAsync(params string[] seen)
    {
        foreach (var value in seen)
        {
            await Faults.Deadline.UntilAsync(
                () => _seen.ContainsKey(value) || !_failures.IsEmpty,
                Deadline,
                $"the load never saw {value}");
            Assert.True(_failures.IsEmpty, string.Join(" | ", _failures.Take(10)));
        }

        _seen.Clear();
    }

    private static async Task<bool> ChangeAsync(IGatewayConfigMonitor monitor, string file, string yaml)
    {
        var outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded(object? sender, GatewayConfigReloadedEventArgs e) => outcome.TrySetResult(e.Applied);
        monitor.Reloaded += OnReloaded;
        try
        {
            await File.WriteAllTextAsync(file, yaml);
            return await outcome.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            monitor.Reloaded -= OnReloaded;
        }
    }

    private bool IsIssuedByCa(X509Certificate2 leaf)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private void WriteServerCertificate(string name)
    {
        using var leaf = TestCertificates.CreateLeaf(_ca, name, [Host]);
        Replace(leaf, "server");
    }

    private void WriteClientCertificate(string name, string spiffe)
    {
        using var leaf = TestCertificates.CreateLeaf(_ca, name, ["gateway.internal"], spiffe);
        Replace(leaf, "client");
    }

    /// <summary>Writes the pair beside, then moves each file over the old one (an atomic rename, as a secret mount does).</summary>
    private void Replace(X509Certificate2 leaf, string name)
    {
        var staging = Path.Combine(_config, "staging");
        var (certificate, key) = TestCertificates.WritePem(leaf, staging, name);
        Directory.CreateDirectory(Path.Combine(_config, "certs"));
        File.Move(certificate, Path.Combine(_config, "certs", name + ".crt"), overwrite: true);
        File.Move(key, Path.Combine(_config, "certs", name + ".key"), overwrite: true);
    }

    private Task<TestUpstream> StartUpstreamAsync(string color)
    {
        using var serverCert = TestCertificates.CreateLeaf(_ca, color, ["localhost"]);
        var certificate = X509CertificateLoader.LoadPkcs12(serverCert.Export(X509ContentType.Pkcs12), null);
        return TestUpstream.StartAsync(
            app => app.Run(context =>
            {
                // Every request a new upstream connection: every request shows the client certificate in use.
                context.Response.Headers.Connection = "close";
                var san = context.Connection.ClientCertificate?.GetNameInfo(X509NameType.UrlName, forIssuer: false);
                return context.Response.WriteAsync($"{color} {san}");
            }),
            HttpProtocols.Http1,
            certificate,
            configureHttps: https =>
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (client, _, _) => IsIssuedByCa(client);
            });
    }

    private static int ReservePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string Config(int port, string color) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          servers:
          - port: {number: {{{port}}}, name: https, protocol: HTTPS}
            hosts: ["*/{{{Host}}}"]
            tls: {mode: SIMPLE, serverCertificate: certs/server.crt, privateKey: certs/server.key}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: app, namespace: default}
        spec:
          hosts: ["{{{Host}}}"]
          gateways: [istio-system/gw]
          http:
          - route:
            - destination: {host: app, subset: {{{color}}}}
              weight: 100
            - destination: {host: app, subset: {{{(color == "blue" ? "green" : "blue")}}}}
              weight: 0
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: app, namespace: default}
        spec:
          host: app
          trafficPolicy:
            tls: {mode: MUTUAL, clientCertificate: certs/client.crt, privateKey: certs/client.key, caCertificates: ca.pem, sni: localhost}
          subsets:
          - {name: blue, labels: {color: blue}}
          - {name: green, labels: {color: green}}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: app, namespace: default}
        spec:
          hosts: [app.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 443, name: https, protocol: HTTPS}]
          endpoints:
          - {address: 127.0.0.1, ports: {https: {{{_blue.Port}}}}, labels: {color: blue}}
          - {address: 127.0.0.1, ports: {https: {{{_green.Port}}}}, labels: {color: green}}
        """;
}
