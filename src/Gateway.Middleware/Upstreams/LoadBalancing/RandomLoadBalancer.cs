namespace Gateway.Middleware.Upstreams.LoadBalancing;

/// <summary>Istio <c>RANDOM</c>: a uniformly random eligible endpoint.</summary>
internal sealed class RandomLoadBalancer : LoadBalancer
{
    public override int Pick(EndpointSet endpoints, ulong? hash, int attempt) => PickRandom(endpoints);
}
