namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>LoadBalancerSettings</c>: a simple policy or a consistent hash.</summary>
internal sealed record LoadBalancerConfig
{
    /// <summary><c>simple</c>; ignored when <see cref="ConsistentHash"/> is set.</summary>
    public LoadBalancerPolicy Policy { get; init; } = LoadBalancerPolicy.LeastRequest;

    public ConsistentHashConfig? ConsistentHash { get; init; }
}

/// <summary>Istio <c>LoadBalancerSettings.SimpleLB</c>.</summary>
internal enum LoadBalancerPolicy
{
    /// <summary>Istio's default (and <c>LEAST_CONN</c>): power of two random choices on active requests.</summary>
    LeastRequest = 0,
    RoundRobin = 1,
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
