using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams.LoadBalancing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Tests.Upstreams;

/// <summary>Picks run on every request: they allocate nothing, whatever the policy, with or without ejections.</summary>
public sealed class LoadBalancerAllocationTests
{
    public static TheoryData<string> Policies => ["LeastRequest", "RoundRobin", "Random", "RingHash"];

    [Theory]
    [MemberData(nameof(Policies))]
    public void Pick_AllocatesNothing(string policy)
    {
        var config = policy == "RingHash"
            ? TestClusters.Hash(new ConsistentHashConfig { HttpHeaderName = "x-user" })
            : TestClusters.LoadBalancer(Enum.Parse<LoadBalancerPolicy>(policy));
        var cluster = TestClusters.Create(8, config with { OutlierDetection = new OutlierDetectionConfig { Consecutive5xxErrors = 1 } });
        var context = new DefaultHttpContext();
        context.Request.Headers["x-user"] = "alice";
        LoadBalancerTests.Eject(cluster, 3);
        Measure(cluster, context);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Measure(cluster, context);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Measure(Gateway.Middleware.Upstreams.UpstreamCluster cluster, HttpContext context)
    {
        for (var i = 0; i < 1_000; i++)
        {
            var hash = cluster.HashRequest(context, out _);
            var index = cluster.PickEndpointIndex(hash);
            cluster.OnTryStarted(index);
            cluster.ReportStatus(index, 200);
            cluster.OnTryEnded(index);
        }
    }
}
