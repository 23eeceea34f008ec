using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;
using Gateway.Middleware.Upstreams.LoadBalancing;

namespace Gateway.Middleware.Tests.Upstreams;

/// <summary>Istio <c>LoadBalancerSettings.simple</c> as Envoy's load balancers run it.</summary>
public sealed class LoadBalancerTests
{
    [Fact]
    public void RoundRobin_CyclesThroughEveryEndpointInOrder()
    {
        var cluster = TestClusters.Create(3, TestClusters.LoadBalancer(LoadBalancerPolicy.RoundRobin));

        var picks = new int[9];
        for (var i = 0; i < picks.Length; i++)
        {
            picks[i] = cluster.PickEndpointIndex(null);
        }

        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2], picks);
    }

    [Fact]
    public void RoundRobin_EjectedEndpoint_SkippedAndOthersShareEvenly()
    {
        var cluster = TestClusters.Create(3, TestClusters.LoadBalancer(LoadBalancerPolicy.RoundRobin));
        Eject(cluster, 1);

        var counts = TestClusters.Counts(cluster, 100);

        Assert.Equal([50, 0, 50], counts);
    }

    [Fact]
    public void Random_SpreadsRoughlyEvenly()
    {
        var cluster = TestClusters.Create(4, TestClusters.LoadBalancer(LoadBalancerPolicy.Random));

        var counts = TestClusters.Counts(cluster, 40_000);

        // Binomial(40000, 1/4): sd ≈ 87; ±600 is about seven standard deviations.
        Assert.All(counts, count => Assert.InRange(count, 9_400, 10_600));
    }

    [Fact]
    public void Random_EjectedEndpoint_NeverPicked()
    {
        var cluster = TestClusters.Create(3, TestClusters.LoadBalancer(LoadBalancerPolicy.Random));
        Eject(cluster, 0);

        var counts = TestClusters.Counts(cluster, 3_000);

        Assert.Equal(0, counts[0]);
        Assert.All(counts[1..], count => Assert.InRange(count, 1_200, 1_800));
    }

    [Fact]
    public void LeastRequest_IsTheDefault_AndIdleTrafficGoesInTurn()
    {
        var cluster = TestClusters.Create(3);

        Assert.IsType<LeastRequestLoadBalancer>(cluster.LoadBalancer);
        Assert.Equal([0, 1, 2, 0, 1, 2], [.. Enumerable.Range(0, 6).Select(_ => cluster.PickEndpointIndex(null))]);
    }

    [Fact]
    public void LeastRequest_BusyEndpoint_NeverChosenOverIdleOnes()
    {
        var cluster = TestClusters.Create(3);
        for (var i = 0; i < 5; i++)
        {
            cluster.OnTryStarted(0);
        }

        var counts = TestClusters.Counts(cluster, 1_000);

        // Every pair of candidates holds an idle endpoint, which wins against the busy one (power of two choices).
        Assert.Equal(0, counts[0]);
        Assert.Equal(1_000, counts[1] + counts[2]);
    }

    [Fact]
    public void LeastRequest_TryEnded_EndpointChosenAgain()
    {
        var cluster = TestClusters.Create(2);
        cluster.OnTryStarted(0);
        Assert.Equal([0, 4], TestClusters.Counts(cluster, 4));

        cluster.OnTryEnded(0);

        Assert.Equal([2, 2], TestClusters.Counts(cluster, 4));
    }

    [Fact]
    public void NoEndpoints_NoPick()
    {
        var cluster = TestClusters.Create(0);

        Assert.Equal(-1, cluster.PickEndpointIndex(null));
        Assert.Null(cluster.PickEndpoint());
    }

    internal static void Eject(UpstreamCluster cluster, int index)
    {
        cluster.EndpointStates[index].Ejected = true;
        cluster.EndpointStates.OnEjected();
    }
}
