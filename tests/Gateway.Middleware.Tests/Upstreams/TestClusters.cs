using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Tests.Upstreams;

/// <summary>Clusters over unreachable loopback endpoints, for tests that only pick and report.</summary>
internal static class TestClusters
{
    private static readonly HttpMessageInvoker Invoker = new(new SocketsHttpHandler());

    public static UpstreamCluster Create(int endpoints, ResolvedTrafficPolicy? policy = null, TimeProvider? timeProvider = null, UpstreamProtocol protocol = UpstreamProtocol.Http1)
    {
        var list = new UpstreamEndpoint[endpoints];
        for (var i = 0; i < endpoints; i++)
        {
            list[i] = new UpstreamEndpoint(new Uri($"http://10.0.0.{i + 1}:8080"));
        }

        return new UpstreamCluster("reviews", null, null, list, protocol, Invoker, policy ?? ResolvedTrafficPolicy.Default, timeProvider);
    }

    public static ResolvedTrafficPolicy LoadBalancer(LoadBalancerPolicy policy) => new() { LoadBalancer = new LoadBalancerConfig { Policy = policy } };

    public static ResolvedTrafficPolicy Hash(ConsistentHashConfig hash) => new() { LoadBalancer = new LoadBalancerConfig { ConsistentHash = hash } };

    public static ResolvedTrafficPolicy Outlier(OutlierDetectionConfig outlier, LoadBalancerPolicy policy = LoadBalancerPolicy.RoundRobin)
        => new() { OutlierDetection = outlier, LoadBalancer = new LoadBalancerConfig { Policy = policy } };

    public static int[] Counts(UpstreamCluster cluster, int picks, ulong? hash = null)
    {
        var counts = new int[cluster.Endpoints.Length];
        for (var i = 0; i < picks; i++)
        {
            counts[cluster.PickEndpointIndex(hash)]++;
        }

        return counts;
    }
}
