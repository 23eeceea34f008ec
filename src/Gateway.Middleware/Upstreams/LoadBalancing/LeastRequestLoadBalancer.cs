namespace Gateway.Middleware.Upstreams.LoadBalancing;

/// <summary>
/// Istio <c>LEAST_REQUEST</c> (the default, and <c>LEAST_CONN</c>): Envoy's power of two choices — of two
/// candidates, the one with fewer requests in flight. The first candidate is the next endpoint in turn and
/// wins ties, the second is random: idle traffic is spread exactly evenly (Envoy draws both at random).
/// </summary>
internal sealed class LeastRequestLoadBalancer : LoadBalancer
{
    private readonly RoundRobinLoadBalancer _turns = new();

    public override int Pick(EndpointSet endpoints, ulong? hash, int attempt)
    {
        var first = _turns.Next(endpoints);
        var eligible = endpoints.EligibleCount(out var all);
        if (first < 0 || eligible < 2)
        {
            return first;
        }

        int second;
        if (all)
        {
            // Uniform over the other endpoints.
            second = Random.Shared.Next(eligible - 1);
            if (second >= first)
            {
                second++;
            }
        }
        else
        {
            second = endpoints.NthEligible(Random.Shared.Next(eligible));
            if (second == first)
            {
                second = endpoints.FirstEligible(first + 1 == endpoints.Count ? 0 : first + 1);
            }
        }

        return Volatile.Read(ref endpoints[second].ActiveRequests) < Volatile.Read(ref endpoints[first].ActiveRequests) ? second : first;
    }
}
