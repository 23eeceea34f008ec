using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Upstreams.LoadBalancing;

/// <summary>Chooses a cluster's load balancer once, when the configuration compiles.</summary>
internal static class LoadBalancerFactory
{
    public static LoadBalancer Create(LoadBalancerConfig? config, ReadOnlySpan<UpstreamEndpoint> endpoints)
    {
        if (config?.ConsistentHash is { } hash)
        {
            return new RingHashLoadBalancer(new RequestHashKey(hash), endpoints, hash.MinimumRingSize);
        }

        return (config?.Policy ?? LoadBalancerPolicy.LeastRequest) switch
        {
            LoadBalancerPolicy.RoundRobin => new RoundRobinLoadBalancer(),
            LoadBalancerPolicy.Random => new RandomLoadBalancer(),
            _ => new LeastRequestLoadBalancer(),
        };
    }
}
