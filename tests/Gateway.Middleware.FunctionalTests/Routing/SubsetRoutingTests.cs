using System.Net;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Routing;

/// <summary>
/// Destinations with subsets and weights, over real upstreams: Istio's request-routing and
/// traffic-shifting tasks with Bookinfo's reviews v1/v2/v3.
/// </summary>
public sealed class SubsetRoutingTests : IAsyncLifetime
{
    private readonly List<TestUpstream> _reviews = [];

    public async Task InitializeAsync()
    {
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            _reviews.Add(await TestUpstream.StartAsync(context =>
            {
                context.Response.Headers["x-version"] = version;
                return context.Response.WriteAsync($"{{\"podname\":\"reviews-{version}\"}}");
            }));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var upstream in _reviews)
        {
            await upstream.DisposeAsync();
        }
    }

    /// <summary>Istio task "Request Routing": end-user jason goes to v2, everyone else to v1.</summary>
    [Theory]
    [InlineData("jason", "v2")]
    [InlineData("Jason", "v1")] // header values are case-sensitive
    [InlineData("mary", "v1")]
    [InlineData(null, "v1")]
    public async Task RequestRouting_EndUserHeader_SelectsSubset(string? endUser, string expectedVersion)
    {
        await using var gateway = await GatewayHost.StartAsync(g => AddReviews(g)
            .AddRoute("jason", r => r.Hosts("bookinfo.example.com").MatchHeader("end-user", exact: "jason").RouteTo("reviews", subset: "v2"))
            .AddRoute("default", r => r.Hosts("bookinfo.example.com").RouteTo("reviews", subset: "v1")));
        using var client = gateway.CreateClient();

        for (var i = 0; i < 6; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/reviews/0");
            request.Headers.Host = "bookinfo.example.com";
            if (endUser is not null)
            {
                request.Headers.Add("end-user", endUser);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expectedVersion, Assert.Single(response.Headers.GetValues("x-version")));
        }
    }

    /// <summary>Istio task "Traffic Shifting": 80/20 between v1 and v3, weight 0 gets nothing.</summary>
    [Fact]
    public async Task TrafficShifting_WeightedSubsets_SplitsByWeight()
    {
        await using var gateway = await GatewayHost.StartAsync(g => AddReviews(g)
            .AddRoute("shift", r => r
                .RouteTo("reviews", weight: 80, subset: "v1")
                .RouteTo("reviews", weight: 20, subset: "v3")
                .RouteTo("reviews", weight: 0, subset: "v2")));
        using var client = gateway.CreateClient();

        var counts = new Dictionary<string, int> { ["v1"] = 0, ["v2"] = 0, ["v3"] = 0 };
        const int Requests = 400;
        for (var i = 0; i < Requests; i++)
        {
            using var response = await client.GetAsync("/reviews/0");
            counts[Assert.Single(response.Headers.GetValues("x-version"))]++;
        }

        // Binomial(400, 0.2): mean 80, sd 8; ±40 is five standard deviations.
        Assert.InRange(counts["v3"], 40, 120);
        Assert.Equal(Requests - counts["v3"], counts["v1"]);
        Assert.Equal(0, counts["v2"]);
    }

    [Fact]
    public async Task Subset_RoundRobinsOverItsEndpointsOnly()
    {
        await using var extraV1 = await TestUpstream.StartAsync(context =>
        {
            context.Response.Headers["x-version"] = "v1-b";
            return Task.CompletedTask;
        });
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u
                .Endpoint(_reviews[0].Address, ("version", "v1"))
                .Endpoint(extraV1.Address, ("version", "v1"), ("zone", "b"))
                .Endpoint(_reviews[1].Address, ("version", "v2"))
                .Subset("v1", ("version", "v1")))
            .AddRoute("all", r => r.RouteTo("reviews", subset: "v1")));
        using var client = gateway.CreateClient();

        var seen = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync("/");
            seen.Add(Assert.Single(response.Headers.GetValues("x-version")));
        }

        // Both v1 endpoints (a subset selects on a label subset: "zone" does not matter), never v2, alternating.
        Assert.Equal(2, seen.Count(v => v == "v1"));
        Assert.Equal(2, seen.Count(v => v == "v1-b"));
        Assert.NotEqual(seen[0], seen[1]);
    }

    [Fact]
    public async Task Subset_WithoutMatchingEndpoints_503NoHealthyUpstream()
    {
        await using var gateway = await GatewayHost.StartAsync(g => AddReviews(g)
            .AddRoute("all", r => r.RouteTo("reviews", subset: "v4")),
            beforeGateway: null);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no healthy upstream", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Port_SelectsTheEndpointsServingThatServicePort()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("multi", u => u
                .Endpoint(_reviews[0].Address, servicePort: 9080)
                .Endpoint(_reviews[2].Address, servicePort: 9443))
            .AddRoute("a", r => r.MatchPathPrefix("/a").RouteTo("multi", port: 9080))
            .AddRoute("b", r => r.MatchPathPrefix("/b").RouteTo("multi", port: 9443)));
        using var client = gateway.CreateClient();

        using var a = await client.GetAsync("/a");
        using var b = await client.GetAsync("/b");

        Assert.Equal("v1", Assert.Single(a.Headers.GetValues("x-version")));
        Assert.Equal("v3", Assert.Single(b.Headers.GetValues("x-version")));
    }

    private Gateway.Middleware.Builder.IGatewayBuilder AddReviews(Gateway.Middleware.Builder.IGatewayBuilder gateway)
        => gateway.AddUpstream("reviews", u => u
            .Endpoint(_reviews[0].Address, ("version", "v1"))
            .Endpoint(_reviews[1].Address, ("version", "v2"))
            .Endpoint(_reviews[2].Address, ("version", "v3"))
            .Subset("v1", ("version", "v1"))
            .Subset("v2", ("version", "v2"))
            .Subset("v3", ("version", "v3"))
            .Subset("v4", ("version", "v4")));
}
