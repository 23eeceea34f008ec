using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Grpc;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.Upstreams;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.UpstreamTls;

/// <summary>
/// gRPC through the gateway to an upstream over mutual TLS: h2 negotiated by ALPN on the gateway's own
/// handshake, trailers (<c>grpc-status</c>) copied back, the client certificate presented.
/// </summary>
public sealed class UpstreamTlsGrpcTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ServerStream_OverMutualTls_MessagesInOrderThenStatusOk()
    {
        using var ca = TestCertificates.CreateCa("mesh-ca");
        using var server = TestCertificates.CreateLeaf(ca, "echo", ["echo.internal"]);
        using var client = TestCertificates.CreateLeaf(ca, "gateway", ["gateway.internal"], "spiffe://cluster.local/ns/istio-system/sa/gateway");
        var service = new EchoGrpcService();
        await using var upstream = await TestUpstream.StartAsync(
            app => app.MapGrpcService<EchoGrpcService>(),
            HttpProtocols.Http2,
            server,
            services =>
            {
                services.AddGrpc();
                services.AddSingleton(service);
            },
            https =>
            {
                https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => TlsUpstream.IsIssuedBy(certificate, ca);
            });
        await using var gateway = await GatewayHost.StartAsync(
            g => g
                .AddRoute("grpc", r => r.MatchPathPrefix("/echo.Echo/").RouteTo("echo"))
                .AddUpstream("echo", u => u
                    .Endpoint($"http://127.0.0.1:{upstream.Port}")
                    .Protocol(UpstreamProtocol.Http2)
                    .Tls(t => t.ClientCertificate(client).TrustedRoots(ca).Sni("echo.internal"))),
            HttpProtocols.Http2);
        using var channel = GrpcChannel.ForAddress(gateway.Address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false } });
        using var cancellation = new CancellationTokenSource(Deadline);

        using var call = new Echo.EchoClient(channel).ServerStream(new EchoRequest { Message = "m", Count = 5 }, cancellationToken: cancellation.Token);
        var replies = new List<string>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync(cancellation.Token))
        {
            replies.Add(reply.Message);
        }

        Assert.Equal(["m-0", "m-1", "m-2", "m-3", "m-4"], replies);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }
}
