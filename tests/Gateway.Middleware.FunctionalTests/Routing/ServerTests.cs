using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gateway.Middleware.Builder;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Routing;

/// <summary>
/// Istio Gateway servers: hosts per port, routes bound to the servers whose hosts intersect theirs,
/// and 421 when a TLS connection's SNI and a request's :authority belong to different servers.
/// </summary>
public sealed class ServerTests
{
    [Fact]
    public async Task Servers_PerPort_RouteHostNarrowedToServerHosts()
    {
        await using var upstream = await NamedUpstream("svc");
        await using var gateway = await MultiPortGateway.StartAsync(2, (g, ports) => g
            .AddUpstream("svc", u => u.Endpoint(upstream.Address))
            .AddServer("public", s => s.Port(ports[0]).Hosts("*.example.com"))
            .AddServer("internal", s => s.Port(ports[1]).Hosts("internal.corp"))
            .AddRoute("everything", r => r.Hosts("*").RouteTo("svc")));

        // The route says "*", but each port serves only its server's hosts.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Ports[0], "shop.example.com"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.Ports[0], "internal.corp"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Ports[1], "internal.corp"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.Ports[1], "shop.example.com"));
    }

    [Fact]
    public async Task Servers_RouteBoundToNamedServer_NotServedElsewhere()
    {
        await using var upstream = await NamedUpstream("svc");
        await using var gateway = await MultiPortGateway.StartAsync(2, (g, ports) => g
            .AddUpstream("svc", u => u.Endpoint(upstream.Address))
            .AddServer("a", s => s.Port(ports[0]).Hosts("*"))
            .AddServer("b", s => s.Port(ports[1]).Hosts("*"))
            .AddRoute("only-a", r => r.Servers("a").RouteTo("svc")));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway.Ports[0], "x.example.com"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway.Ports[1], "x.example.com"));
    }

    [Fact]
    public async Task Tls_SniAndAuthorityOnDifferentServers_421()
    {
        var ca = TestCertificates.CreateCa("gateway-ca");
        using var certificate = TestCertificates.CreateLeaf(ca, "gateway", ["a.example.com", "b.example.com"]);
        await using var upstream = await NamedUpstream("svc");
        await using var gateway = await MultiPortGateway.StartAsync(1, (g, ports) => g
            .AddUpstream("svc", u => u.Endpoint(upstream.Address))
            .AddServer("a", s => s.Port(ports[0]).Hosts("a.example.com").Tls())
            .AddServer("b", s => s.Port(ports[0]).Hosts("b.example.com").Tls())
            .AddRoute("all", r => r.RouteTo("svc")), certificate);

        // Same server: answered.
        Assert.StartsWith("HTTP/1.1 200", await SendOverTlsAsync(gateway.Ports[0], sni: "a.example.com", host: "a.example.com", ca), StringComparison.Ordinal);
        // A connection negotiated for a.example.com reused for b.example.com: misdirected.
        Assert.StartsWith("HTTP/1.1 421", await SendOverTlsAsync(gateway.Ports[0], sni: "a.example.com", host: "b.example.com", ca), StringComparison.Ordinal);
    }

    private static Task<TestUpstream> NamedUpstream(string name)
        => TestUpstream.StartAsync(context => context.Response.WriteAsync(name));

    private static async Task<HttpStatusCode> StatusAsync(int port, string host)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> SendOverTlsAsync(int port, string sni, string host, X509Certificate2 ca)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = sni,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is X509Certificate2 leaf && chain.Build(leaf);
            },
        });
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(tls, Encoding.ASCII);
        return await reader.ReadToEndAsync();
    }

    /// <summary>A gateway listening on several loopback ports, each one a possible server port.</summary>
    private sealed class MultiPortGateway : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private MultiPortGateway(WebApplication app, int[] ports)
        {
            _app = app;
            Ports = ports;
        }

        public int[] Ports { get; }

        public static async Task<MultiPortGateway> StartAsync(int count, Action<IGatewayBuilder, int[]> configure, X509Certificate2? certificate = null)
        {
            var ports = new int[count];
            for (var i = 0; i < count; i++)
            {
                ports[i] = ErrorMappingTestsPorts.Reserve();
            }

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                foreach (var port in ports)
                {
                    kestrel.Listen(IPAddress.Loopback, port, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http1;
                        if (certificate is not null)
                        {
                            // A selector makes Kestrel read the SNI (ITlsHandshakeFeature.HostName).
                            listen.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions
                            {
                                ServerCertificateSelector = (_, _) => certificate,
                            });
                        }
                    });
                }
            });
            configure(builder.Services.AddGateway(), ports);
            var app = builder.Build();
            app.UseGateway();
            await app.StartAsync();
            return new MultiPortGateway(app, ports);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static class ErrorMappingTestsPorts
    {
        public static int Reserve() => Forwarding.ErrorMappingTests.GetClosedPort();
    }
}
