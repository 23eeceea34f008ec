namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>LoadBalancerSettings</c>: a simple policy or a consistent hash.</summary>
internal sealed record LoadBalancerConfig
{
    /// <summary><c>simple</c>; ignored when <see cref="ConsistentHash"/> is set.</summary>
    public LoadBalancerPolicy Policy { get; init; } = LoadBalancerPolicy.LeastRequest;

    public ConsistentHashConfig? ConsistentHash { get; init; }
}

/// <summary>How an upstream spreads requests over its endpoints (Istio <c>LoadBalancerSettings.simple</c>).</summary>
public enum LoadBalancerPolicy
{
    /// <summary>
    /// <c>LEAST_REQUEST</c> (also Istio's <c>LEAST_CONN</c>), the default: of two candidates, the endpoint with
    /// fewer requests in flight (Envoy's power of two choices); idle traffic goes round-robin.
    /// </summary>
    LeastRequest = 0,

    /// <summary><c>ROUND_ROBIN</c>: each endpoint in turn.</summary>
    RoundRobin = 1,

    /// <summary><c>RANDOM</c>: a uniformly random endpoint.</summary>
    Random = 2,
}

/// <summary>Istio <c>ConsistentHashLB</c>: exactly one hash key is set.</summary>
internal sealed record ConsistentHashConfig
{
    public string? HttpHeaderName { get; init; }

    public HashCookieConfig? HttpCookie { get; init; }

    public bool UseSourceIp { get; init; }

    public string? HttpQueryParameterName { get; init; }

    /// <summary>Ring size (<c>ringHash.minimumRingSize</c>); Envoy's default is 1024.</summary>
    public int MinimumRingSize { get; init; } = 1024;
}

/// <summary>The cookie a consistent hash keys on; generated with <see cref="Ttl"/> when the client has none.</summary>
internal sealed record HashCookieConfig(string Name)
{
    public string? Path { get; init; }

    public TimeSpan? Ttl { get; init; }
}
