namespace Gateway.Middleware.Upstreams.LoadBalancing;

/// <summary>Istio <c>ROUND_ROBIN</c>: each eligible endpoint in turn.</summary>
internal sealed class RoundRobinLoadBalancer : LoadBalancer
{
    private int _next = -1;

    public override int Pick(EndpointSet endpoints, ulong? hash, int attempt) => Next(endpoints);

    /// <summary>The next eligible endpoint in turn; -1 when none.</summary>
    public int Next(EndpointSet endpoints)
    {
        var eligible = endpoints.EligibleCount(out var all);
        if (eligible == 0)
        {
            return -1;
        }

        var turn = (int)((uint)Interlocked.Increment(ref _next) % (uint)eligible);
        return all ? turn : endpoints.NthEligible(turn);
    }
}
