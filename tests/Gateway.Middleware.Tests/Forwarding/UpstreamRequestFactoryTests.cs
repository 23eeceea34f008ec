using Gateway.Middleware.Forwarding;
using Gateway.Middleware.Upstreams;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Tests.Forwarding;

public sealed class UpstreamRequestFactoryTests
{
    [Fact]
    public void Create_HeaderNamedInConnection_IsNotCopied()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/h";
        context.Request.Host = new HostString("app.example.com");
        context.Request.Headers.Connection = "keep-alive, X-Secret-Hop";
        context.Request.Headers["X-Secret-Hop"] = "must-not-pass";
        context.Request.Headers["X-End-To-End"] = "kept";

        using var message = UpstreamRequestFactory.Create(
            context, new UpstreamEndpoint(new Uri("http://127.0.0.1:1")), UpstreamProtocol.Http1, TunnelKind.None,
            new GatewayForwardingOptions(), CancellationToken.None, out _);

        Assert.False(message.Headers.Contains("X-Secret-Hop"));
        Assert.False(message.Headers.Contains("Connection"));
        Assert.Equal("kept", Assert.Single(message.Headers.GetValues("X-End-To-End")));
        Assert.Equal("http://127.0.0.1:1/h", message.RequestUri!.ToString());
    }
}
