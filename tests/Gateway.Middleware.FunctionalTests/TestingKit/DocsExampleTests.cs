// docs/testing.md, "A complete test": this file's code is the example, verbatim. Keep them in sync.
using System.Net;
using Gateway.Middleware.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gateway.Middleware.FunctionalTests.TestingKit;

public sealed class QuickStartGatewayTests
{
    [Fact]
    public async Task HelloRoute_ForwardsToGreeter_EchoUntouched()
    {
        await using var greeter = await FakeUpstream.StartAsync("greeter");
        await using var echo = await FakeUpstream.StartAsync("echo");
        await using var app = new WebApplicationFactory<Program>();
        using var client = app.WithFakeUpstreams(greeter, echo).CreateClient();

        using var response = await client.GetAsync("/hello/world?lang=en");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = greeter.Single();
        Assert.Equal("/hello/world?lang=en", received.PathAndQuery);
        Assert.Equal("http", received.Header("x-forwarded-proto"));
        echo.AssertNoRequests();
    }
}
