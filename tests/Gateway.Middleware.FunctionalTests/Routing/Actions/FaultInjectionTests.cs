using System.Diagnostics;
using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Routing.Actions;

/// <summary>
/// Istio <c>HTTPFaultInjection</c> over real sockets (Istio task "Fault Injection": ratings delayed 7 s, or
/// aborted with 500, for jason). The clock-driven cases are in the unit tests with FakeTimeProvider.
/// </summary>
public sealed class FaultInjectionTests : IAsyncLifetime
{
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(20);

    private RequestEchoUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await RequestEchoUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task Abort_HundredPercent_AnswersStatusWithEnvoyBodyAndForwardsNothing()
    {
        await using var gateway = await StartAsync(r => r.Fault(f => f.Abort(500)));
        using var client = gateway.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/ratings/0");

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.ToString());
            Assert.Equal("fault filter abort", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, _upstream.Count);
    }

    [Fact]
    public async Task Abort_ZeroPercent_EveryRequestForwarded()
    {
        await using var gateway = await StartAsync(r => r.Fault(f => f.Abort(500, percentage: 0)));
        using var client = gateway.CreateClient();

        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync("/ratings/0");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(20, _upstream.Count);
    }

    [Fact]
    public async Task Abort_HalfPercent_AbortsRoughlyHalf()
    {
        await using var gateway = await StartAsync(r => r.Fault(f => f.Abort(503, percentage: 50)));
        using var client = gateway.CreateClient();

        const int Requests = 200;
        var aborted = 0;
        for (var i = 0; i < Requests; i++)
        {
            using var response = await client.GetAsync("/ratings/0");
            aborted += response.StatusCode == HttpStatusCode.ServiceUnavailable ? 1 : 0;
        }

        // Binomial(200, 0.5): standard deviation ~7; the window is over 5 of them each side.
        Assert.InRange(aborted, 60, 140);
        Assert.Equal(Requests - aborted, _upstream.Count);
    }

    [Fact]
    public async Task Delay_HundredPercent_ForwardsAfterTheDelay()
    {
        var delay = TimeSpan.FromMilliseconds(300);
        await using var gateway = await StartAsync(r => r.Fault(f => f.Delay(delay)));
        using var client = gateway.CreateClient();

        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync("/ratings/0");
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/ratings/0", await response.Content.ReadAsStringAsync());
        // System timers may fire a tick early; the exact boundary is pinned with FakeTimeProvider in the unit tests.
        Assert.True(watch.Elapsed >= delay - TimerSlack, $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task DelayAndAbort_BothFull_AbortsAfterTheDelay()
    {
        var delay = TimeSpan.FromMilliseconds(200);
        await using var gateway = await StartAsync(r => r.Fault(f => f.Delay(delay).Abort(418)));
        using var client = gateway.CreateClient();

        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync("/ratings/0");
        watch.Stop();

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("fault filter abort", await response.Content.ReadAsStringAsync());
        // System timers may fire a tick early; the exact boundary is pinned with FakeTimeProvider in the unit tests.
        Assert.True(watch.Elapsed >= delay - TimerSlack, $"answered after {watch.Elapsed}");
        Assert.Equal(0, _upstream.Count);
    }

    /// <summary>Istio task "Fault Injection": only jason's requests get the fault; the others pass.</summary>
    [Theory]
    [InlineData("jason", HttpStatusCode.InternalServerError)]
    [InlineData("mary", HttpStatusCode.OK)]
    public async Task Abort_OnlyOnMatchingRule_OthersForwarded(string user, HttpStatusCode expected)
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("ratings", u => u.Endpoint(_upstream.Address))
            .AddRoute("jason", r => r.MatchHeader("end-user", exact: "jason").Fault(f => f.Abort(500)).RouteTo("ratings"))
            .AddRoute("everyone", r => r.RouteTo("ratings")));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ratings/0");
        request.Headers.Add("end-user", user);

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>Envoy's fault filter answers gRPC requests in gRPC form: grpc-status from the HTTP status.</summary>
    [Theory]
    [InlineData(503, "14")]
    [InlineData(403, "7")]
    [InlineData(500, "2")]
    public async Task Abort_GrpcRequest_GrpcStatusMappedFromHttpStatus(int status, string grpcStatus)
    {
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("up", u => u.Endpoint(_upstream.Address)).AddRoute("r", r => r.Fault(f => f.Abort(status)).RouteTo("up")),
            HttpProtocols.Http2);
        using var client = gateway.CreateClient(HttpVersion.Version20);

        using var response = await client.SendAsync(GrpcRequest());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(grpcStatus, Assert.Single(response.Headers.GetValues("grpc-status")));
        Assert.Equal("fault filter abort", Uri.UnescapeDataString(Assert.Single(response.Headers.GetValues("grpc-message"))));
        Assert.Equal(0, _upstream.Count);
    }

    internal static HttpRequestMessage GrpcRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/echo.Echo/Unary")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        return request;
    }

    private Task<GatewayHost> StartAsync(Action<GatewayRouteBuilder> fault)
        => GatewayHost.StartAsync(g => g
            .AddUpstream("ratings", u => u.Endpoint(_upstream.Address))
            .AddRoute("ratings", r =>
            {
                fault(r);
                r.RouteTo("ratings");
            }));
}
