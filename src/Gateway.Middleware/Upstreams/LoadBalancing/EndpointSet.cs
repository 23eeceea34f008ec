namespace Gateway.Middleware.Upstreams.LoadBalancing;

/// <summary>
/// A cluster's endpoints as load balancers see them: which are ejected, and Envoy's panic mode (Istio
/// <c>minHealthPercent</c>, Envoy <c>healthy_panic_threshold</c>): while fewer than that percentage of endpoints
/// is healthy, ejections are ignored and every endpoint is eligible.
/// </summary>
internal sealed class EndpointSet
{
    private readonly EndpointState[] _states;
    private readonly int _minHealthPercent;
    private int _ejected;

    public EndpointSet(int count, int minHealthPercent = 0)
    {
        _states = new EndpointState[count];
        for (var i = 0; i < count; i++)
        {
            _states[i] = new EndpointState();
        }

        _minHealthPercent = minHealthPercent;
    }

    public int Count => _states.Length;

    /// <summary>Endpoints ejected right now.</summary>
    public int EjectedCount => Volatile.Read(ref _ejected);

    public EndpointState this[int index] => _states[index];

    /// <summary>How many endpoints a pick may choose from; <paramref name="all"/> when every endpoint is eligible.</summary>
    public int EligibleCount(out bool all)
    {
        var count = _states.Length;
        var ejected = Volatile.Read(ref _ejected);
        if (ejected == 0)
        {
            all = true;
            return count;
        }

        var healthy = count - ejected;
        if (healthy * 100 < _minHealthPercent * count)
        {
            // Panic: below the healthy threshold Envoy balances over all hosts, ejected or not.
            all = true;
            return count;
        }

        all = false;
        return healthy;
    }

    /// <summary>The <paramref name="n"/>-th eligible endpoint (0-based) when not <c>all</c> are.</summary>
    public int NthEligible(int n)
    {
        var states = _states;
        for (var i = 0; i < states.Length; i++)
        {
            if (!states[i].Ejected && n-- == 0)
            {
                return i;
            }
        }

        // An ejection raced the count: take any healthy endpoint, else none.
        return FirstEligible(0);
    }

    /// <summary>The first eligible endpoint at or after <paramref name="start"/>, wrapping; -1 when none.</summary>
    public int FirstEligible(int start)
    {
        var states = _states;
        for (var i = 0; i < states.Length; i++)
        {
            var index = start + i;
            if (index >= states.Length)
            {
                index -= states.Length;
            }

            if (!states[index].Ejected)
            {
                return index;
            }
        }

        return -1;
    }

    internal void OnEjected() => Interlocked.Increment(ref _ejected);

    internal void OnReadmitted() => Interlocked.Decrement(ref _ejected);
}
