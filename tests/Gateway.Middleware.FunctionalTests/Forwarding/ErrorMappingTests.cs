using System.Net;
using System.Net.Sockets;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>Upstream failures answer as Envoy does (DESIGN.md, "What the gateway answers").</summary>
public sealed class ErrorMappingTests
{
    private const string ResetBeforeHeaders = "upstream connect error or disconnect/reset before headers. reset reason: ";

    [Fact]
    public async Task Forward_ConnectionRefused_503ConnectionFailure()
    {
        var closedPort = GetClosedPort();
        var observed = new ErrorObserver();
        await using var gateway = await StartGatewayAsync($"http://127.0.0.1:{closedPort}", observed);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ResetBeforeHeaders + "connection failure, transport failure reason: delayed connect error: ConnectionRefused", await response.Content.ReadAsStringAsync());
        Assert.Equal(GatewayForwarderError.ConnectionFailure, observed.Error);
    }

    [Fact]
    public async Task Forward_UpstreamWithoutEndpoints_503NoHealthyUpstream()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("empty", _ => { })
            .AddRoute("all", r => r.RouteTo("empty")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no healthy upstream", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_UpstreamClosesBeforeHeaders_503ConnectionTermination()
    {
        await using var upstream = await RawHttpUpstream.StartAsync(static (_, _) => Task.CompletedTask);
        var observed = new ErrorObserver();
        await using var gateway = await StartGatewayAsync(upstream.Address, observed);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(ResetBeforeHeaders + "connection termination", await response.Content.ReadAsStringAsync());
        Assert.Equal(GatewayForwarderError.UpstreamReset, observed.Error);
    }

    [Fact]
    public async Task Forward_UpstreamResetsHttp2StreamBeforeHeaders_503RemoteReset()
    {
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResetFeature>()!.Reset(0x2); // INTERNAL_ERROR
            return Task.CompletedTask;
        }, Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address).Protocol(Upstreams.UpstreamProtocol.Http2))
            .AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(ResetBeforeHeaders + "remote reset", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_UpstreamSlowerThanRouteTimeout_504UpstreamRequestTimeout()
    {
        var upstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                upstreamCancelled.TrySetResult();
            }
        });
        var observed = new ErrorObserver();
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up").Timeout(TimeSpan.FromMilliseconds(300))),
            beforeGateway: observed.Register);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal(GatewayForwarderError.RouteTimeout, observed.Error);
        // The upstream request is cancelled, not left running.
        await upstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Forward_SlowUploadLongerThanRouteTimeout_TimeoutStartsWhenRequestIsComplete()
    {
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            var body = await BodyForwardingTests.ReadAllAsync(context.Request.Body);
            await context.Response.WriteAsync($"got {body.Length}");
        });
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("up").Timeout(TimeSpan.FromMilliseconds(400))));
        using var client = gateway.CreateClient();

        // Envoy's route timeout spans from the end of the client's request to the end of the response, so
        // a client that takes longer than the timeout to upload is not cut off.
        using var content = new SlowContent(TimeSpan.FromMilliseconds(900));
        using var response = await client.PostAsync("/upload", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("got 2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_GrpcRequestToRefusingUpstream_GrpcUnavailableWithEnvoyMessage()
    {
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint($"http://127.0.0.1:{GetClosedPort()}").Protocol(Upstreams.UpstreamProtocol.Http2))
                  .AddRoute("all", r => r.RouteTo("up")),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        using var client = gateway.CreateClient(HttpVersion.Version20);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo.Echo/Unary")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");

        using var response = await client.SendAsync(request);

        // Envoy's local reply for gRPC: HTTP 200, trailers-only, grpc-status 14 (UNAVAILABLE).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("14", Assert.Single(response.Headers.GetValues("grpc-status")));
        Assert.StartsWith(ResetBeforeHeaders + "connection failure", Uri.UnescapeDataString(Assert.Single(response.Headers.GetValues("grpc-message"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_NoRouteTimeout_SlowUpstreamStillAnswers()
    {
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await context.Response.WriteAsync("late but fine");
        });
        await using var gateway = await BodyForwardingTests.StartGatewayAsync(upstream);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("late but fine", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_UpstreamClosesMidBody_ClientResponseIsAbortedNotTruncated()
    {
        await using var upstream = await RawHttpUpstream.StartAsync(async (stream, _) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial body"u8.ToArray());
            // The connection then closes with most of the promised body missing.
        });
        var observed = new ErrorObserver();
        await using var gateway = await StartGatewayAsync(upstream.Address, observed);
        using var client = gateway.CreateClient();

        // The exchange must fail for the client (the reset may even overtake the headers already sent):
        // a clean end would pass off a truncated body as complete.
        await Assert.ThrowsAnyAsync<Exception>(() => ReadWholeResponseAsync(client));
        Assert.Equal(GatewayForwarderError.ResponseBodyUpstream, observed.Error);
    }

    [Fact]
    public async Task Forward_UpstreamClosesMidChunkedBodyOverHttp2_ClientStreamIsReset()
    {
        await using var upstream = await RawHttpUpstream.StartAsync(async (stream, _) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"u8.ToArray());
            // The connection then closes without the last chunk.
        });
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.RouteTo("up")),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        using var client = gateway.CreateClient(HttpVersion.Version20);

        await Assert.ThrowsAnyAsync<Exception>(() => ReadWholeResponseAsync(client));
    }

    [Fact]
    public async Task Forward_UntrustedUpstreamCertificate_503TlsErrorAndNothingSentInClear()
    {
        var trustedCa = TestCertificates.CreateCa("trusted-ca");
        var otherCa = TestCertificates.CreateCa("other-ca");
        using var serverCert = TestCertificates.CreateLeaf(otherCa, "upstream", ["localhost"]);
        var requests = 0;
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            Interlocked.Increment(ref requests);
            return Task.CompletedTask;
        }, certificate: serverCert);
        var observed = new ErrorObserver();
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint($"https://localhost:{upstream.Port}").TrustedRootCertificates(trustedCa))
                  .AddRoute("all", r => r.RouteTo("up")),
            beforeGateway: observed.Register);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith(ResetBeforeHeaders + "connection failure, transport failure reason: TLS error: ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(GatewayForwarderError.TlsFailure, observed.Error);
        Assert.Equal(0, Volatile.Read(ref requests));
    }

    [Fact]
    public async Task Forward_TrustedUpstreamCertificate_200OverTls()
    {
        var ca = TestCertificates.CreateCa("upstream-ca");
        using var serverCert = TestCertificates.CreateLeaf(ca, "upstream", ["reviews.internal"]);
        string? scheme = null;
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            scheme = context.Request.Scheme;
            return context.Response.WriteAsync("secure");
        }, certificate: serverCert);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint($"https://127.0.0.1:{upstream.Port}").TrustedRootCertificates(ca).Sni("reviews.internal"))
            .AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secure", await response.Content.ReadAsStringAsync());
        Assert.Equal("https", scheme);
    }

    [Fact]
    public async Task Forward_UpstreamCertificateNameMismatch_503TlsError()
    {
        var ca = TestCertificates.CreateCa("upstream-ca");
        using var serverCert = TestCertificates.CreateLeaf(ca, "upstream", ["reviews.internal"]);
        await using var upstream = await TestUpstream.StartAsync(_ => Task.CompletedTask, certificate: serverCert);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint($"https://127.0.0.1:{upstream.Port}").TrustedRootCertificates(ca).Sni("ratings.internal"))
            .AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("TLS error: ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_PlaintextUpstreamOnTlsPort_503TlsError()
    {
        var ca = TestCertificates.CreateCa("upstream-ca");
        await using var upstream = await TestUpstream.StartAsync(_ => Task.CompletedTask);
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint($"https://127.0.0.1:{upstream.Port}").TrustedRootCertificates(ca))
            .AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("TLS error: ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static Task<GatewayHost> StartGatewayAsync(string upstreamAddress, ErrorObserver observed)
        => GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint(upstreamAddress)).AddRoute("all", r => r.RouteTo("up")),
            beforeGateway: observed.Register);

    /// <summary>A two-byte body whose second byte is sent only after <c>pause</c>: a slow client.</summary>
    private sealed class SlowContent(TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[] { 1 });
            await stream.FlushAsync();
            await Task.Delay(pause);
            await stream.WriteAsync(new byte[] { 2 });
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 2;
            return true;
        }
    }

    private static async Task<byte[]> ReadWholeResponseAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/", HttpCompletionOption.ResponseHeadersRead);
        return await response.Content.ReadAsByteArrayAsync();
    }

    internal static int GetClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Two distinct free ports (both listeners are held until both are known, so they cannot coincide).</summary>
    internal static (int First, int Second) GetClosedPorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        var ports = (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        first.Stop();
        second.Stop();
        return ports;
    }

    /// <summary>Middleware in front of the gateway that records the published forwarder error.</summary>
    internal sealed class ErrorObserver
    {
        private readonly TaskCompletionSource<GatewayForwarderError> _error = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public GatewayForwarderError Error => _error.Task.Wait(TimeSpan.FromSeconds(10)) ? _error.Task.Result : GatewayForwarderError.None;

        public void Register(IApplicationBuilder app) => app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Features.Get<IGatewayForwarderErrorFeature>() is { } feature)
            {
                _error.TrySetResult(feature.Error);
            }
        });
    }
}
