using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.TrafficPolicy;

/// <summary>
/// Istio DestinationRule <c>trafficPolicy.loadBalancer</c> over real Kestrel upstreams: each policy's distribution
/// as a client sees it.
/// </summary>
public sealed class LoadBalancingTests : IAsyncLifetime
{
    private NamedUpstream[] _upstreams = [];

    public async Task InitializeAsync() => _upstreams = await NamedUpstream.StartManyAsync("a", "b", "c", "d");

    public async Task DisposeAsync() => await NamedUpstream.DisposeAllAsync(_upstreams);

    [Fact]
    public async Task RoundRobin_EndpointsServeInAnExactCycle()
    {
        await using var gateway = await StartAsync(3, u => u.LoadBalancer(LoadBalancerPolicy.RoundRobin));
        using var client = gateway.CreateClient();

        var served = await GetManyAsync(client, "/", 9);

        Assert.Equal(["a", "b", "c", "a", "b", "c", "a", "b", "c"], served);
    }

    [Fact]
    public async Task Random_SpreadsRoughlyEvenly()
    {
        await using var gateway = await StartAsync(3, u => u.LoadBalancer(LoadBalancerPolicy.Random));
        using var client = gateway.CreateClient();

        var served = await GetManyAsync(client, "/", 300);

        // Binomial(300, 1/3): mean 100, sd 8.2; ±40 is almost five standard deviations.
        Assert.All(["a", "b", "c"], name => Assert.InRange(served.Count(s => s == name), 60, 140));
    }

    [Fact]
    public async Task LeastRequest_OneEndpointHeldBusy_IdleEndpointTakesEveryRequest()
    {
        // No loadBalancer: Istio's default, LEAST_REQUEST.
        await using var gateway = await StartAsync(2, u => { });
        using var client = gateway.CreateClient();
        var slow = client.GetAsync("/slow");
        await Poll.UntilAsync(() => _upstreams[0].Held + _upstreams[1].Held == 1, "the slow request to reach an upstream");
        var busy = _upstreams[0].Held == 1 ? "a" : "b";

        var served = await GetManyAsync(client, "/", 10);

        Assert.All(served, name => Assert.NotEqual(busy, name));
        _upstreams[0].OpenGate();
        _upstreams[1].OpenGate();
        using var slowResponse = await slow;
        Assert.Equal(busy, NamedUpstream.AnsweredBy(slowResponse));
    }

    [Fact]
    public async Task LeastRequest_Idle_RequestsAlternate()
    {
        await using var gateway = await StartAsync(2, u => u.LoadBalancer(LoadBalancerPolicy.LeastRequest));
        using var client = gateway.CreateClient();

        var served = await GetManyAsync(client, "/", 6);

        Assert.Equal(3, served.Count(s => s == "a"));
        Assert.Equal(3, served.Count(s => s == "b"));
    }

    [Fact]
    public async Task ConsistentHashHeader_SameUserSameEndpoint_UsersSpread()
    {
        await using var gateway = await StartAsync(4, u => u.ConsistentHash(h => h.Header("x-user")));
        using var client = gateway.CreateClient();

        var endpointOf = new Dictionary<string, string>();
        for (var user = 0; user < 16; user++)
        {
            var served = new HashSet<string>();
            for (var i = 0; i < 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Add("x-user", $"user-{user}");
                using var response = await client.SendAsync(request);
                served.Add(NamedUpstream.AnsweredBy(response));
            }

            endpointOf[$"user-{user}"] = Assert.Single(served);
        }

        Assert.True(endpointOf.Values.Distinct().Count() >= 3, string.Join(", ", endpointOf.Values));
    }

    [Fact]
    public async Task ConsistentHashCookie_NoCookie_GeneratedWithSetCookieThenSticks()
    {
        await using var gateway = await StartAsync(4, u => u.ConsistentHash(h => h.Cookie("lb-session", ttl: TimeSpan.FromHours(1), path: "/")));

        for (var client = 0; client < 4; client++)
        {
            // A fresh connection each time: the generated value hashes the connection's addresses.
            using var http = gateway.CreateClient();
            using var first = await http.GetAsync("/");
            var setCookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
            var match = System.Text.RegularExpressions.Regex.Match(setCookie, "^lb-session=(\"[0-9a-f]{16}\"); Max-Age=3600; Path=/; HttpOnly$");
            Assert.True(match.Success, setCookie);
            var sticky = NamedUpstream.AnsweredBy(first);

            for (var i = 0; i < 4; i++)
            {
                using var fresh = gateway.CreateClient();
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Add("Cookie", $"theme=dark; lb-session={match.Groups[1].Value}");
                using var response = await fresh.SendAsync(request);
                Assert.Equal(sticky, NamedUpstream.AnsweredBy(response));
                Assert.False(response.Headers.Contains("Set-Cookie"));
            }
        }
    }

    [Fact]
    public async Task ConsistentHashQueryParameter_SameValueSameEndpoint()
    {
        await using var gateway = await StartAsync(4, u => u.ConsistentHash(h => h.QueryParameter("user")));
        using var client = gateway.CreateClient();

        var owners = new HashSet<string>();
        for (var user = 0; user < 12; user++)
        {
            var served = await GetManyAsync(client, $"/?page=1&user=u{user}", 3);
            owners.Add(Assert.Single(served.Distinct()));
        }

        Assert.True(owners.Count >= 3, string.Join(", ", owners));
    }

    [Fact]
    public async Task ConsistentHashSourceIp_EveryConnectionFromOneAddressSticks()
    {
        await using var gateway = await StartAsync(4, u => u.ConsistentHash(h => h.SourceIp()));

        var served = new HashSet<string>();
        for (var i = 0; i < 8; i++)
        {
            using var client = gateway.CreateClient();
            using var response = await client.GetAsync("/");
            served.Add(NamedUpstream.AnsweredBy(response));
        }

        Assert.Single(served);
    }

    [Fact]
    public async Task ConsistentHash_EjectedOwner_KeyMovesToAHealthyEndpoint()
    {
        await using var gateway = await StartAsync(3, u => u
            .ConsistentHash(h => h.Header("x-user"))
            .OutlierDetection(o => o.Consecutive5xxErrors(1).MaxEjectionPercent(100)));
        using var client = gateway.CreateClient();
        var ownerName = await WhoServesAsync(client, "alice");
        var owner = _upstreams.Single(u => u.Name == ownerName);
        owner.Status = 500;

        using (var failing = await SendAsUserAsync(client, "alice"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        }

        var next = await WhoServesAsync(client, "alice");

        Assert.NotEqual(owner.Name, next);
        Assert.Equal(next, await WhoServesAsync(client, "alice"));
    }

    [Fact]
    public async Task SubsetPolicy_OverridesTheUpstreamsLoadBalancer()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u => u
                .Endpoint(_upstreams[0].Address, ("version", "v1"))
                .Endpoint(_upstreams[1].Address, ("version", "v1"))
                .Endpoint(_upstreams[2].Address, ("version", "v1"))
                .LoadBalancer(LoadBalancerPolicy.RoundRobin)
                .Subset("sticky", [("version", "v1")], p => p.ConsistentHash(h => h.Header("x-user"))))
            .AddRoute("sticky", r => r.MatchPathPrefix("/sticky").RouteTo("reviews", subset: "sticky"))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var client = gateway.CreateClient();

        var roundRobin = new List<string>();
        var sticky = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            using var all = await client.GetAsync("/");
            roundRobin.Add(NamedUpstream.AnsweredBy(all));
            using var request = new HttpRequestMessage(HttpMethod.Get, "/sticky");
            request.Headers.Add("x-user", "alice");
            using var response = await client.SendAsync(request);
            sticky.Add(NamedUpstream.AnsweredBy(response));
        }

        Assert.Equal(["a", "b", "c", "a", "b", "c"], roundRobin);
        Assert.Single(sticky);
    }

    [Fact]
    public async Task PortPolicy_AppliesToItsPortOnly()
    {
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("multi", u => u
                .Endpoint(_upstreams[0].Address, servicePort: 9080)
                .Endpoint(_upstreams[1].Address, servicePort: 9080)
                .Endpoint(_upstreams[2].Address, servicePort: 9081)
                .Endpoint(_upstreams[3].Address, servicePort: 9081)
                .PortPolicy(9080, p => p.ConsistentHash(h => h.Header("x-user"))))
            .AddRoute("p9080", r => r.MatchPathPrefix("/9080").RouteTo("multi", port: 9080))
            .AddRoute("p9081", r => r.MatchPathPrefix("/9081").RouteTo("multi", port: 9081)));
        using var client = gateway.CreateClient();

        var hashed = new HashSet<string>();
        var balanced = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            foreach (var (path, served) in new[] { ("/9080", hashed), ("/9081", balanced) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Add("x-user", "alice");
                using var response = await client.SendAsync(request);
                served.Add(NamedUpstream.AnsweredBy(response));
            }
        }

        Assert.Single(hashed);
        Assert.Equal(["c", "d"], balanced.Order());
    }

    private Task<GatewayHost> StartAsync(int endpoints, Action<GatewayUpstreamBuilder> policy)
        => GatewayHost.StartAsync(g => g
            .AddUpstream("reviews", u =>
            {
                for (var i = 0; i < endpoints; i++)
                {
                    u.Endpoint(_upstreams[i].Address);
                }

                policy(u);
            })
            .AddRoute("all", r => r.RouteTo("reviews")));

    private static async Task<List<string>> GetManyAsync(HttpClient client, string path, int count)
    {
        var served = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            served.Add(NamedUpstream.AnsweredBy(response));
        }

        return served;
    }

    private static Task<HttpResponseMessage> SendAsUserAsync(HttpClient client, string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("x-user", user);
        return client.SendAsync(request);
    }

    private static async Task<string> WhoServesAsync(HttpClient client, string user)
    {
        using var response = await SendAsUserAsync(client, user);
        return NamedUpstream.AnsweredBy(response);
    }
}
