using System.Net;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Routing.Actions;

/// <summary>Istio <c>HTTPDirectResponse</c>: the gateway answers with the status and body; nothing is forwarded.</summary>
public sealed class DirectResponseTests
{
    [Theory]
    [InlineData(503, "service is under maintenance")]
    [InlineData(200, "{\"ok\":true}")]
    [InlineData(418, "I'm a teapot ☕")]
    public async Task DirectResponse_WithBody_AnswersStatusAndTextPlainBody(int status, string body)
    {
        await using var upstream = await RequestEchoUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("canned", r => r.MatchPathPrefix("/canned").DirectResponse(status, body))
            .AddRoute("rest", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/canned/x");

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), response.Content.Headers.ContentLength);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, upstream.Count);
    }

    [Fact]
    public async Task DirectResponse_WithoutBody_AnswersEmpty()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g.AddRoute("gone", r => r.DirectResponse(410)));
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("/anything", new StringContent("ignored"));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    /// <summary>Envoy sends a direct response as a local reply, which takes the gRPC form for gRPC requests.</summary>
    [Fact]
    public async Task DirectResponse_GrpcRequest_GrpcStatusMappedFromHttpStatus()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g.AddRoute("down", r => r.DirectResponse(503, "down for maintenance")), HttpProtocols.Http2);
        using var client = gateway.CreateClient(HttpVersion.Version20);

        using var response = await client.SendAsync(FaultInjectionTests.GrpcRequest());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("14", Assert.Single(response.Headers.GetValues("grpc-status")));
        Assert.Equal("down for maintenance", Uri.UnescapeDataString(Assert.Single(response.Headers.GetValues("grpc-message"))));
    }
}
