using System.Net;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Routing.Actions;

/// <summary>
/// Istio <c>headers.request</c>/<c>headers.response</c> at rule level and per destination, over real
/// sockets: set overwrites, add appends a value, remove removes; the destination's operations run first,
/// then the rule's (Envoy's weighted-cluster order).
/// </summary>
public sealed class HeaderOperationTests
{
    [Fact]
    public async Task RequestHeaders_RuleLevel_SetAddRemoveSeenUpstream()
    {
        await using var upstream = await RequestEchoUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("r", r => r
                .RequestHeaders(h => h.Set("x-set", "gateway").Add("x-add", "gateway").Add("x-new", "fresh").Remove("x-secret").Set("User-Agent", "gateway-agent"))
                .RouteTo("up")));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Set", "client");
        request.Headers.Add("X-Add", "client");
        request.Headers.Add("X-Secret", "s3cr3t");
        request.Headers.Add("User-Agent", "curl/8");

        using var response = await client.SendAsync(request);
        var seen = upstream.Seen!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gateway", seen["x-set"]);
        // HttpClient sends the appended value on the same line, comma-joined (Istio's "comma-separated list").
        Assert.Equal("client, gateway", seen["x-add"]);
        Assert.Equal("fresh", seen["x-new"]);
        Assert.Equal("gateway-agent", seen["User-Agent"]);
        Assert.False(seen.ContainsKey("x-secret"));
    }

    [Fact]
    public async Task RequestHeaders_DestinationThenRule_RuleWinsAndBothAppend()
    {
        await using var upstream = await RequestEchoUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("r", r => r
                .RequestHeaders(h => h.Set("x-who", "rule").Add("x-trail", "rule").Remove("x-temp"))
                .RouteTo("up", d => d.RequestHeaders(h => h.Set("x-who", "destination").Add("x-trail", "destination").Set("x-temp", "destination").Set("x-dest-only", "yes")))));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("x-trail", "client");

        using var response = await client.SendAsync(request);
        var seen = upstream.Seen!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("rule", seen["x-who"]);
        Assert.Equal("client, destination, rule", seen["x-trail"]);
        Assert.Equal("yes", seen["x-dest-only"]);
        Assert.False(seen.ContainsKey("x-temp"));
    }

    /// <summary>Istio's VirtualService Headers example: per-destination operations apply only to that destination.</summary>
    [Fact]
    public async Task RequestAndResponseHeaders_PerDestination_FollowTheChosenDestination()
    {
        await using var v1 = await RequestEchoUpstream.StartAsync("v1", r => r.Headers["foo"] = "bar");
        await using var v2 = await RequestEchoUpstream.StartAsync("v2", r => r.Headers["foo"] = "bar");
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("v1", u => u.Endpoint(v1.Address))
            .AddUpstream("v2", u => u.Endpoint(v2.Address))
            .AddRoute("reviews", r => r
                .RequestHeaders(h => h.Set("test", "true"))
                .RouteTo("v2", d => d.Weight(25).RequestHeaders(h => h.Set("x-dest", "v2")))
                .RouteTo("v1", d => d.Weight(75).RequestHeaders(h => h.Set("x-dest", "v1")).ResponseHeaders(h => h.Remove("foo")))));
        using var client = gateway.CreateClient();

        var answered = new HashSet<string>();
        for (var i = 0; i < 40 && answered.Count < 2; i++)
        {
            using var response = await client.GetAsync("/reviews");
            var name = Assert.Single(response.Headers.GetValues("x-upstream"));
            var seen = (name == "v1" ? v1 : v2).Seen!;
            answered.Add(name);

            Assert.Equal(name, seen["x-dest"]);
            Assert.Equal("true", seen["test"]);
            Assert.Equal(name == "v2", response.Headers.Contains("foo"));
        }

        Assert.Equal(2, answered.Count);
    }

    [Fact]
    public async Task ResponseHeaders_DestinationThenRule_AppliedToUpstreamResponse()
    {
        await using var upstream = await RequestEchoUpstream.StartAsync(respond: r =>
        {
            r.Headers["x-set"] = "upstream";
            r.Headers["x-add"] = "upstream";
            r.Headers["x-drop"] = "upstream";
            r.Headers["Set-Cookie"] = "a=1";
        });
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("r", r => r
                .ResponseHeaders(h => h.Set("X-SET", "rule").Add("x-add", "rule").Remove("x-drop").Add("set-cookie", "b=2"))
                .RouteTo("up", d => d.ResponseHeaders(h => h.Set("x-set", "destination").Add("x-add", "destination").Add("x-dest", "yes")))));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["rule"], response.Headers.GetValues("x-set"));
        Assert.Equal(["upstream", "destination", "rule"], response.Headers.GetValues("x-add"));
        Assert.Equal(["yes"], response.Headers.GetValues("x-dest"));
        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("Set-Cookie"));
        Assert.False(response.Headers.Contains("x-drop"));
        Assert.Equal("/", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ResponseHeaders_OnRedirectAndDirectResponse_RuleLevelApplies()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddRoute("moved", r => r.MatchPathPrefix("/old").Redirect(x => x.Uri("/new")).ResponseHeaders(h => h.Set("cache-control", "no-store")))
            .AddRoute("down", r => r.DirectResponse(503, "maintenance").ResponseHeaders(h => h.Set("retry-after", "120"))));
        using var client = gateway.CreateClient();

        using var redirect = await client.GetAsync("/old");
        using var direct = await client.GetAsync("/other");

        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal(["no-store"], redirect.Headers.GetValues("cache-control"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, direct.StatusCode);
        Assert.Equal(["120"], direct.Headers.GetValues("retry-after"));
        Assert.Equal("maintenance", await direct.Content.ReadAsStringAsync());
    }
}
