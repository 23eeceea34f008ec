using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Tls;

/// <summary>Server certificates reload from their files: new connections get the new one, a broken file keeps the last good one.</summary>
public sealed class CertificateReloadTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("gateway-tls-reload-");
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("gateway-ca");

    public void Dispose()
    {
        _folder.Delete(recursive: true);
        _ca.Dispose();
    }

    [Fact]
    public async Task Reload_CertificateFilesReplaced_NewConnectionsGetNewCertificate_BrokenFileKeepsLastGood()
    {
        var (certPath, keyPath) = Write("v1");
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TlsGateway.StartAsync(g => g
            .ConfigureTls(o => o.CertificateCheckInterval = TimeSpan.FromMilliseconds(20))
            .AddUpstream("svc", u => u.Endpoint(upstream.Address))
            .AddServer("https", s => s.Hosts("reload.example.com").Tls(t => t.Certificate(certPath, keyPath)))
            .AddRoute("all", r => r.RouteTo("svc")));
        Assert.Equal("CN=v1", (await TlsClient.PresentedCertificateAsync(gateway.TlsPort, "reload.example.com")).Subject);

        Write("v2");
        await PollAsync(async () => (await TlsClient.PresentedCertificateAsync(gateway.TlsPort, "reload.example.com")).Subject == "CN=v2");

        await File.WriteAllTextAsync(certPath, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
        await PollAsync(async () =>
        {
            // Handshakes trigger the checks; the failure is logged (event 801) and the last good certificate stays.
            await TlsClient.PresentedCertificateAsync(gateway.TlsPort, "reload.example.com");
            return gateway.Events.Records.Any(e => e.Id == 801);
        });

        Assert.Equal("CN=v2", (await TlsClient.PresentedCertificateAsync(gateway.TlsPort, "reload.example.com")).Subject);
        var (response, _) = await TlsClient.TryGetAsync(gateway.TlsPort, "reload.example.com");
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigReload_ServerCertificateChanged_NewConnectionsGetIt()
    {
        var (v1Cert, v1Key) = Write("v1");
        using var v2 = TestCertificates.CreateLeaf(_ca, "v2", ["reload.example.com"]);
        var (v2Cert, v2Key) = TestCertificates.WritePem(v2, _folder.FullName, "v2");
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TlsGateway.StartAsync(g => g
            .AddUpstream("svc", u => u.Endpoint(upstream.Address))
            .AddServer("https", s => s.Hosts("reload.example.com").Tls(t => t.Certificate(v1Cert, v1Key)))
            .AddRoute("all", r => r.RouteTo("svc")));
        await using var established = await TlsClient.ConnectAsync(gateway.TlsPort, "reload.example.com");
        var provider = gateway.Services.GetRequiredService<Gateway.Middleware.Configuration.GatewayConfigProvider>();
        var current = provider.Current;

        provider.Update(new Gateway.Middleware.Configuration.GatewayConfig(
            [new Gateway.Middleware.Configuration.RouteConfig { Name = "all", Destinations = [new("svc", 100)] }],
            [new Gateway.Middleware.Configuration.UpstreamConfig { Name = "svc", Endpoints = [new(upstream.Address)] }])
        {
            Servers = [new Gateway.Middleware.Configuration.ServerConfig
            {
                Name = "https",
                Hosts = ["reload.example.com"],
                Tls = true,
                TlsSettings = new Gateway.Middleware.Configuration.ServerTlsConfig { CertificatePath = v2Cert, KeyPath = v2Key },
            }],
        });

        Assert.NotSame(current, provider.Current);
        Assert.Equal("CN=v2", (await TlsClient.PresentedCertificateAsync(gateway.TlsPort, "reload.example.com")).Subject);

        // A connection made before the reload keeps its certificate and is still served.
        Assert.Equal("CN=v1", new X509Certificate2(established.RemoteCertificate!).Subject);
        Assert.StartsWith("HTTP/1.1 200", await TlsClient.GetAsync(established, "reload.example.com"), StringComparison.Ordinal);
    }

    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not met within 10 s");
            await Task.Delay(25);
        }
    }

    private (string Certificate, string Key) Write(string name)
    {
        using var leaf = TestCertificates.CreateLeaf(_ca, name, ["reload.example.com"]);
        var (certificate, key) = TestCertificates.WritePem(leaf, _folder.FullName, "staging");
        File.Move(certificate, Path.Combine(_folder.FullName, "server.crt"), overwrite: true);
        File.Move(key, Path.Combine(_folder.FullName, "server.key"), overwrite: true);
        return (Path.Combine(_folder.FullName, "server.crt"), Path.Combine(_folder.FullName, "server.key"));
    }
}
