using System.Net;
using Gateway.Middleware.FunctionalTests.TrafficPolicy;

namespace Gateway.Middleware.FunctionalTests.Configuration.DestinationRules;

/// <summary>
/// DestinationRule <c>loadBalancer</c>, <c>connectionPool</c> and <c>outlierDetection</c> from YAML, end to end over
/// a STATIC ServiceEntry whose endpoints are real upstreams that answer with their name.
/// </summary>
public sealed class YamlDestinationRuleTrafficPolicyTests : IAsyncLifetime, IDisposable
{
    private readonly YamlFolder _folder = new();
    private NamedUpstream[] _upstreams = [];

    public async Task InitializeAsync() => _upstreams = await NamedUpstream.StartManyAsync("a", "b", "c", "d");

    public async Task DisposeAsync() => await NamedUpstream.DisposeAllAsync(_upstreams);

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// ROUND_ROBIN cycles through the endpoints in a fixed order, even the one busy with a held request (the
    /// default, LEAST_REQUEST, would send nothing there while the others are idle).
    /// </summary>
    [Fact]
    public async Task LoadBalancerRoundRobin_EndpointsServeInACycle_BusyOneIncluded()
    {
        await using var gateway = await StartAsync(3, "loadBalancer: {simple: ROUND_ROBIN}");
        using var client = gateway.CreateClient();
        var held = YamlFolder.GetAsync(client, "/slow");
        await Poll.UntilAsync(() => _upstreams.Sum(u => u.Held) == 1, "the slow request to reach an endpoint");

        var served = await ServedAsync(client, 9);

        Assert.Equal(["a", "b", "c"], served.Take(3).Order());
        for (var i = 3; i < served.Count; i++)
        {
            Assert.Equal(served[i - 3], served[i]);
        }

        foreach (var upstream in _upstreams)
        {
            upstream.OpenGate();
        }

        using var heldResponse = await held;
        Assert.Equal(HttpStatusCode.OK, heldResponse.StatusCode);
    }

    [Fact]
    public async Task LoadBalancerConsistentHashHeader_SameUserSameEndpoint_UsersSpread()
    {
        await using var gateway = await StartAsync(4, "loadBalancer: {consistentHash: {httpHeaderName: x-user}}");
        using var client = gateway.CreateClient();

        var owners = new HashSet<string>();
        for (var user = 0; user < 16; user++)
        {
            var served = await ServedAsync(client, 3, ("x-user", $"user-{user}"));
            owners.Add(Assert.Single(served.Distinct()));
        }

        Assert.True(owners.Count >= 3, string.Join(", ", owners));
    }

    /// <summary>Istio's circuit-breaking task: one connection, one pending request; the rest are 503 at once.</summary>
    [Fact]
    public async Task ConnectionPoolOneConnectionOnePending_ExcessAnswered503OverflowAtOnce()
    {
        await using var gateway = await StartAsync(
            1,
            "connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}}");
        using var client = gateway.CreateClient();

        var requests = Enumerable.Range(0, 6).Select(_ => YamlFolder.GetAsync(client, "/slow")).ToArray();

        await Poll.UntilAsync(() => requests.Count(r => r.IsCompleted) == 4, "the overflowing requests to be answered while the upstream holds the others");
        foreach (var early in requests.Where(r => r.IsCompleted))
        {
            using var response = await early;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("upstream connect error or disconnect/reset before headers. reset reason: overflow", await response.Content.ReadAsStringAsync());
        }

        _upstreams[0].OpenGate();
        var served = await Task.WhenAll(requests);
        Assert.Equal(2, served.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(2, _upstreams[0].Count);
    }

    /// <summary>
    /// consecutive5xxErrors 1: the endpoint answering 500 is ejected and traffic moves to the healthy one; after
    /// baseEjectionTime (a stepped clock) it is back.
    /// </summary>
    [Fact]
    public async Task OutlierDetectionConsecutive5xx_FailingEndpointEjected_BackAfterBaseEjectionTime()
    {
        var clock = new SteppedClock();
        _upstreams[0].Status = 500;
        await using var gateway = await StartAsync(
            2,
            "loadBalancer: {simple: ROUND_ROBIN}\n    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100}",
            clock);
        using var client = gateway.CreateClient();

        Assert.Equal(["a", "b"], (await ServedAsync(client, 2)).Order());
        Assert.All(await ServedAsync(client, 6), name => Assert.Equal("b", name));
        Assert.Equal(1, _upstreams[0].Count);

        clock.Advance(TimeSpan.FromSeconds(30));
        _upstreams[0].Status = 200;

        Assert.Equal(["a", "b"], (await ServedAsync(client, 4)).Distinct().Order());
    }

    private Task<Infrastructure.GatewayHost> StartAsync(int endpoints, string trafficPolicy, TimeProvider? time = null)
    {
        _folder.Write(YamlFolder.Mesh(trafficPolicy, [.. _upstreams.Take(endpoints).Select(u => new Uri(u.Address).Port)]));
        return _folder.StartAsync(time: time);
    }

    private static async Task<List<string>> ServedAsync(HttpClient client, int count, params (string Name, string Value)[] headers)
    {
        var served = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await YamlFolder.GetAsync(client, "/", headers);
            served.Add(NamedUpstream.AnsweredBy(response));
        }

        return served;
    }
}
