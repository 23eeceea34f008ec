using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Diagnostics;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.UpstreamTls;

/// <summary>
/// Certificates and CA bundles reload from their files without a restart and without failing requests
/// (issue #6: "certificate rotation under continuous load ... with zero failed requests"); a broken new file
/// keeps the last good one. The upstream closes every connection, so each request is a new handshake.
/// </summary>
public sealed class UpstreamTlsRotationTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private const string SpiffeA = "spiffe://cluster.local/ns/istio-system/sa/gateway-a";
    private const string SpiffeB = "spiffe://cluster.local/ns/istio-system/sa/gateway-b";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "upstream-tls-rotation-" + Guid.NewGuid().ToString("N"));
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("mesh-ca");
    private readonly X509Certificate2 _server;
    private readonly X509Certificate2 _clientA;
    private readonly X509Certificate2 _clientB;

    public UpstreamTlsRotationTests()
    {
        _server = TestCertificates.CreateLeaf(_ca, "reviews", ["localhost"]);
        _clientA = TestCertificates.CreateLeaf(_ca, "gateway-a", ["gateway.internal"], SpiffeA);
        _clientB = TestCertificates.CreateLeaf(_ca, "gateway-b", ["gateway.internal"], SpiffeB);
    }

    [Fact]
    public async Task Rotation_ClientCertificateFilesSwappedUnderLoad_ZeroFailuresAndNewConnectionsPresentNewCertificate()
    {
        var (certPath, keyPath) = TestCertificates.WritePem(_clientA, _directory, "client");
        var caPath = TestCertificates.WriteBundle(_directory, "ca", _ca);
        await using var upstream = await TlsUpstream.StartAsync(_server, clientCa: _ca, closeConnections: true);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).MutualTls(certPath, keyPath, caPath))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var client = gateway.CreateClient();
        await using var load = new Load(client);
        await load.WaitForAsync(SpiffeA);

        // Swap both files, each replaced atomically (as a Kubernetes secret update is); for a moment the
        // certificate and key do not match, which must keep the old pair rather than fail.
        var (newCert, newKey) = TestCertificates.WritePem(_clientB, Path.Combine(_directory, "next"), "client");
        File.Move(newCert, certPath, overwrite: true);
        File.Move(newKey, keyPath, overwrite: true);
        await load.WaitForAsync(SpiffeB);
        var (succeeded, failures) = await load.StopAsync();

        Assert.Empty(failures);
        Assert.True(succeeded > 2, $"only {succeeded} requests completed");
    }

    [Fact]
    public async Task Rotation_CaBundleGainsUpstreamRoot_TrustedWithoutRestart()
    {
        using var newCa = TestCertificates.CreateCa("new-mesh-ca");
        using var rotatedServer = TestCertificates.CreateLeaf(newCa, "reviews", ["localhost"]);
        var caPath = TestCertificates.WriteBundle(_directory, "ca", _ca);
        await using var upstream = await TlsUpstream.StartAsync(rotatedServer);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address).Tls(t => t.CaCertificates(caPath)))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var client = gateway.CreateClient();
        using (var refused = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        var next = TestCertificates.WriteBundle(Path.Combine(_directory, "next"), "ca", _ca, newCa);
        File.Move(next, caPath, overwrite: true);

        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("/");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.True(clock.Elapsed < Deadline, "the new CA bundle was never used");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Rotation_BrokenNewCertificateFile_KeepsLastGoodAndLogsWhy()
    {
        var (certPath, keyPath) = TestCertificates.WritePem(_clientA, _directory, "client");
        var caPath = TestCertificates.WriteBundle(_directory, "ca", _ca);
        var logs = new LogRecorder();
        await using var upstream = await TlsUpstream.StartAsync(_server, clientCa: _ca, closeConnections: true);
        await using var gateway = await GatewayHost.StartAsync(g =>
        {
            g.Services.AddSingleton<ILoggerProvider>(logs);
            g.AddUpstream("reviews", u => u.Endpoint(upstream.Address).MutualTls(certPath, keyPath, caPath)).AddRoute("all", r => r.RouteTo("reviews"));
        });
        using var client = gateway.CreateClient();
        await using var load = new Load(client);
        await load.WaitForAsync(SpiffeA);

        var broken = Path.Combine(_directory, "broken.crt");
        await File.WriteAllTextAsync(broken, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
        File.Move(broken, certPath, overwrite: true);
        var logged = await logs.WaitForAsync(EventIds.CertificateReloadFailed, Deadline);
        var seenBefore = load.Completed;
        await load.WaitForCompletedAsync(seenBefore + 4);
        var (_, failures) = await load.StopAsync();

        Assert.Contains(certPath, logged, StringComparison.Ordinal);
        Assert.Empty(failures);
        Assert.DoesNotContain(SpiffeB, load.Seen);
        Assert.Equal(LogLevel.Warning, Assert.Single(logs.Records, r => r.Id == EventIds.CertificateReloadFailed).Level);
    }

    public void Dispose()
    {
        _server.Dispose();
        _clientA.Dispose();
        _clientB.Dispose();
        _ca.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Two loops of requests through the gateway, recording failures and the client identity the upstream saw.</summary>
    private sealed class Load : IAsyncDisposable
    {
        private readonly HttpClient _client;
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<string> _failures = new();
        private readonly ConcurrentDictionary<string, bool> _seen = new();
        private readonly Task[] _loops;
        private int _completed;

        public Load(HttpClient client)
        {
            _client = client;
            _loops = [Task.Run(LoopAsync), Task.Run(LoopAsync)];
        }

        public int Completed => Volatile.Read(ref _completed);

        public ICollection<string> Seen => _seen.Keys;

        public Task WaitForAsync(string clientSan) => PollAsync(() => _seen.ContainsKey(clientSan), $"the upstream never saw {clientSan}");

        public Task WaitForCompletedAsync(int count) => PollAsync(() => Completed >= count, $"fewer than {count} requests completed");

        public async Task<(int Succeeded, string[] Failures)> StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_loops);
            return (Completed, [.. _failures]);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await StopAsync();
            }

            _stop.Dispose();
        }

        private async Task PollAsync(Func<bool> condition, string failure)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > Deadline || !_failures.IsEmpty)
                {
                    throw new TimeoutException($"{failure}; failures: {string.Join(" | ", _failures)}");
                }

                await Task.Delay(10);
            }
        }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await _client.GetAsync("/");
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        _failures.Enqueue($"{(int)response.StatusCode} {body}");
                        continue;
                    }

                    _seen[response.Headers.GetValues("x-client-san").First()] = true;
                    Interlocked.Increment(ref _completed);
                }
                catch (HttpRequestException ex)
                {
                    _failures.Enqueue(ex.Message);
                }
            }
        }
    }
}
