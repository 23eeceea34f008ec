using System.Net;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Routing;

/// <summary>
/// Destinations with subsets and weights, over real upstreams (the test kit's FakeUpstream, one per version,
/// counting what each received): Istio's request-routing and traffic-shifting tasks with Bookinfo's reviews v1/v2/v3.
/// </summary>
public sealed class SubsetRoutingTests : IAsyncLifetime
{
    private readonly Dictionary<string, FakeUpstream> _reviews = [];

    public async Task InitializeAsync()
    {
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            _reviews[version] = await FakeUpstream.StartAsync("reviews", version);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var upstream in _reviews.Values)
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
            using var request = new HttpRequestMessage(HttpMethod.Get, "/reviews/0") { Headers = { Host = "bookinfo.example.com" } };
            if (endUser is not null)
            {
                request.Headers.Add("end-user", endUser);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(6, _reviews[expectedVersion].RequestCount);
        Assert.Equal(6, _reviews.Values.Sum(r => r.RequestCount));
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

        const int Requests = 400;
        for (var i = 0; i < Requests; i++)
        {
            (await client.GetAsync("/reviews/0")).Dispose();
        }

        // Binomial(400, 0.2): mean 80, sd 8; ±40 is five standard deviations.
        Assert.InRange(_reviews["v3"].RequestCount, 40, 120);
        Assert.Equal(Requests - _reviews["v3"].RequestCount, _reviews["v1"].RequestCount);
        _reviews["v2"].AssertNoRequests();
    }

    [Fact]
    public async Task Subset_RoundRobinsOverItsEndpointsOnly()
    {
        await using var extraV1 = await FakeUpstream.StartAsync("reviews", "v1-b");
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u
                .Endpoint(_reviews["v1"].Address, ("version", "v1"))
                .Endpoint(extraV1.Address, ("version", "v1"), ("zone", "b"))
                .Endpoint(_reviews["v2"].Address, ("version", "v2"))
                .Subset("v1", ("version", "v1")))
            .AddRoute("all", r => r.RouteTo("reviews", subset: "v1")));
        using var client = gateway.CreateClient();

        var seen = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync("/");
            seen.Add(Assert.Single(response.Headers.GetValues(FakeUpstream.ResponseHeader)));
        }

        // Both v1 endpoints (a subset selects on a label subset: "zone" does not matter), never v2, alternating.
        Assert.Equal(2, _reviews["v1"].RequestCount);
        Assert.Equal(2, extraV1.RequestCount);
        _reviews["v2"].AssertNoRequests();
        Assert.NotEqual(seen[0], seen[1]);
    }

    [Fact]
    public async Task Subset_WithoutMatchingEndpoints_503NoHealthyUpstream()
    {
        await using var gateway = await GatewayHost.StartAsync(g => AddReviews(g)
            .AddRoute("all", r => r.RouteTo("reviews", subset: "v4")));
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
                .Endpoint(_reviews["v1"].Address, servicePort: 9080)
                .Endpoint(_reviews["v3"].Address, servicePort: 9443))
            .AddRoute("a", r => r.MatchPathPrefix("/a").RouteTo("multi", port: 9080))
            .AddRoute("b", r => r.MatchPathPrefix("/b").RouteTo("multi", port: 9443)));
        using var client = gateway.CreateClient();

        (await client.GetAsync("/a")).Dispose();
        (await client.GetAsync("/b")).Dispose();

        Assert.Equal("/a", _reviews["v1"].Single().Path);
        Assert.Equal("/b", _reviews["v3"].Single().Path);
    }

    private Gateway.Middleware.Builder.IGatewayBuilder AddReviews(Gateway.Middleware.Builder.IGatewayBuilder gateway)
        => gateway.AddUpstream("reviews", u => u
            .Endpoint(_reviews["v1"].Address, ("version", "v1"))
            .Endpoint(_reviews["v2"].Address, ("version", "v2"))
            .Endpoint(_reviews["v3"].Address, ("version", "v3"))
            .Subset("v1", ("version", "v1"))
            .Subset("v2", ("version", "v2"))
            .Subset("v3", ("version", "v3"))
            .Subset("v4", ("version", "v4")));
}
