using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// The QuickStart sample, started with WebApplicationFactory: the three requests its banner suggests
/// answer as it says. Its upstreams are real Kestrel apps on loopback.
/// </summary>
public sealed class QuickStartTests : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly WebApplicationFactory<Program> _factory;

    public QuickStartTests(WebApplicationFactory<Program> factory)
    {
        _factory = factory;
    }

    [Fact]
    public async Task Hello_RoutesToGreeterUpstream()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/hello/world");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);

        Assert.Equal("greeter", Assert.Single(response.Headers.GetValues("x-upstream")));
        Assert.Equal("/hello/world", json.RootElement.GetProperty("path").GetString());
    }

    [Fact]
    public async Task EchoPost_UpstreamSeesBodyQueryAndForwardedHeaders()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsync("/echo/anything?x=1", new StringContent("ping"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("echo", root.GetProperty("service").GetString());
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("?x=1", root.GetProperty("query").GetString());
        Assert.Equal("ping", root.GetProperty("body").GetString());
        Assert.True(root.GetProperty("headers").TryGetProperty("X-Request-ID", out _));
        Assert.Equal("http", root.GetProperty("headers").GetProperty("X-Forwarded-Proto").GetString());
    }

    [Fact]
    public async Task UnknownPath_404EmptyBody()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }
}
