using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.FunctionalTests.Grpc;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.Upstreams;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>
/// gRPC through the gateway on real sockets: client → gateway (h2c or h2 over TLS) → upstream (h2c,
/// Grpc.AspNetCore). gRPC needs HTTP/2 end to end, <c>TE: trailers</c> forwarded, and the response trailers
/// (where <c>grpc-status</c> travels, gRPC over HTTP/2 spec "Responses") copied back.
/// </summary>
public sealed class GrpcForwardingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Unary_ThroughH2cGateway_ReturnsEchoedMessageAndUpstreamSawIt()
    {
        var service = new EchoGrpcService();
        await using var upstream = await StartUpstreamAsync(service);
        await using var gateway = await StartGatewayAsync(upstream);
        using var channel = CreateChannel(gateway.Address);
        using var cancellation = new CancellationTokenSource(Deadline);

        var reply = await new Echo.EchoClient(channel).UnaryAsync(new EchoRequest { Message = "hello" }, cancellationToken: cancellation.Token);

        Assert.Equal("hello", reply.Message);
        Assert.Equal(0, reply.Index);
        Assert.Equal(["hello"], service.Received);
        // The client's :authority reaches the upstream unchanged.
        Assert.Equal([$"127.0.0.1:{gateway.Port}"], service.Hosts);
    }

    [Fact]
    public async Task ServerStream_TenMessages_ArriveInOrderThenStatusOk()
    {
        var service = new EchoGrpcService();
        await using var upstream = await StartUpstreamAsync(service);
        await using var gateway = await StartGatewayAsync(upstream);
        using var channel = CreateChannel(gateway.Address);
        using var cancellation = new CancellationTokenSource(Deadline);

        using var call = new Echo.EchoClient(channel).ServerStream(new EchoRequest { Message = "m", Count = 10 }, cancellationToken: cancellation.Token);
        var replies = new List<EchoReply>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync(cancellation.Token))
        {
            replies.Add(reply);
        }

        Assert.Equal(Enumerable.Range(0, 10), replies.Select(r => r.Index));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m-{i}"), replies.Select(r => r.Message));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Unary_UpstreamThrowsRpcException_ClientGetsSameStatusAndDetail()
    {
        // Nothing was written before the exception: Grpc.AspNetCore answers "Trailers-Only", grpc-status
        // in the response headers, which the gateway must copy like any other header.
        var service = new EchoGrpcService();
        await using var upstream = await StartUpstreamAsync(service);
        await using var gateway = await StartGatewayAsync(upstream);
        using var channel = CreateChannel(gateway.Address);
        using var cancellation = new CancellationTokenSource(Deadline);

        using var call = new Echo.EchoClient(channel).UnaryAsync(new EchoRequest { Message = "fail:no such echo" }, cancellationToken: cancellation.Token);
        var exception = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
        Assert.Equal("no such echo", exception.Status.Detail);
        Assert.Equal("v", exception.Trailers.GetValue("x-custom"));
        Assert.Equal(["fail:no such echo"], service.Received);
    }

    [Fact]
    public async Task ServerStream_UpstreamThrowsAfterMessages_ClientGetsMessagesThenStatusFromTrailers()
    {
        // Messages were sent first, so grpc-status can only travel in the HTTP/2 trailers.
        var service = new EchoGrpcService();
        await using var upstream = await StartUpstreamAsync(service);
        await using var gateway = await StartGatewayAsync(upstream);
        using var channel = CreateChannel(gateway.Address);
        using var cancellation = new CancellationTokenSource(Deadline);

        using var call = new Echo.EchoClient(channel).ServerStream(new EchoRequest { Message = "fail:gone", Count = 3 }, cancellationToken: cancellation.Token);
        var replies = new List<string>();
        var exception = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var reply in call.ResponseStream.ReadAllAsync(cancellation.Token))
            {
                replies.Add(reply.Message);
            }
        });

        Assert.Equal(["fail:gone-0", "fail:gone-1", "fail:gone-2"], replies);
        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
        Assert.Equal("gone", exception.Status.Detail);
    }

    [Fact]
    public async Task ServerStream_ClientCancels_UpstreamCallIsCancelled()
    {
        // The client's RST_STREAM must reach the upstream as a reset of the forwarded stream, or an
        // open-ended stream would run on after nobody listens.
        var service = new EchoGrpcService();
        await using var upstream = await StartUpstreamAsync(service);
        await using var gateway = await StartGatewayAsync(upstream);
        using var channel = CreateChannel(gateway.Address);
        using var deadline = new CancellationTokenSource(Deadline);
        using var callCancellation = new CancellationTokenSource();

        using var call = new Echo.EchoClient(channel).ServerStream(new EchoRequest { Message = "open", Count = -1 }, cancellationToken: callCancellation.Token);
        Assert.True(await call.ResponseStream.MoveNext(deadline.Token));
        Assert.Equal("open-0", call.ResponseStream.Current.Message);

        await callCancellation.CancelAsync();

        await service.StreamCancelled.Task.WaitAsync(deadline.Token);
        var exception = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(deadline.Token));
        Assert.Equal(StatusCode.Cancelled, exception.StatusCode);
    }

    [Fact]
    public async Task Unary_ServiceSetsResponseTrailer_TrailerArrivesAtClient()
    {
        var service = new EchoGrpcService();
        await using var upstream = await StartUpstreamAsync(service);
        await using var gateway = await StartGatewayAsync(upstream);
        using var channel = CreateChannel(gateway.Address);
        using var cancellation = new CancellationTokenSource(Deadline);

        using var call = new Echo.EchoClient(channel).UnaryAsync(new EchoRequest { Message = "with trailers" }, cancellationToken: cancellation.Token);
        var reply = await call.ResponseAsync;
        var trailers = call.GetTrailers();

        Assert.Equal("with trailers", reply.Message);
        Assert.Equal("v", trailers.GetValue("x-custom"));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Unary_ThroughTlsGateway_ReturnsEchoedMessageOverH2()
    {
        using var ca = TestCertificates.CreateCa("Gateway Test CA");
        using var certificate = TestCertificates.CreateLeaf(ca, "gateway.test", ["gateway.test", "localhost"]);
        var service = new EchoGrpcService();
        await using var upstream = await StartUpstreamAsync(service);
        await using var gateway = await StartGatewayAsync(upstream, certificate);
        var validated = 0;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                {
                    var trusted = presented is X509Certificate2 leaf && IsIssuedBy(leaf, ca)
                        // Only the chain may fail (our CA is not in the system store); the name must match.
                        && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None;
                    if (trusted)
                    {
                        Interlocked.Increment(ref validated);
                    }

                    return trusted;
                },
            },
        };
        using var channel = GrpcChannel.ForAddress(gateway.Address, new GrpcChannelOptions { HttpHandler = handler });
        using var cancellation = new CancellationTokenSource(Deadline);

        var reply = await new Echo.EchoClient(channel).UnaryAsync(new EchoRequest { Message = "secure hello" }, cancellationToken: cancellation.Token);

        Assert.StartsWith("https://", gateway.Address, StringComparison.Ordinal);
        Assert.Equal("secure hello", reply.Message);
        Assert.Equal(["secure hello"], service.Received);
        Assert.Equal(1, Volatile.Read(ref validated));
    }

    private static bool IsIssuedBy(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private static GrpcChannel CreateChannel(string address)
        // h2c with prior knowledge: Grpc.Net.Client asks for HTTP/2 exactly, SocketsHttpHandler speaks it on http://.
        => GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false } });

    private static Task<TestUpstream> StartUpstreamAsync(EchoGrpcService service)
        => TestUpstream.StartAsync(
            app => app.MapGrpcService<EchoGrpcService>(),
            HttpProtocols.Http2,
            configureServices: services =>
            {
                services.AddGrpc();
                // Grpc.AspNetCore takes the service from DI when it is registered there.
                services.AddSingleton(service);
            });

    private static Task<GatewayHost> StartGatewayAsync(TestUpstream upstream, X509Certificate2? certificate = null)
        => GatewayHost.StartAsync(
            gateway => gateway
                .AddRoute("grpc", r => r.MatchPathPrefix("/echo.Echo/").RouteTo("echo"))
                .AddUpstream("echo", u => u.Endpoint(upstream.Address).Protocol(UpstreamProtocol.Http2)),
            HttpProtocols.Http2,
            certificate);
}
