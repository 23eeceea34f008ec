namespace Gateway.Middleware.Configuration;

/// <summary>
/// Istio <c>ConnectionPoolSettings</c> (tcp and http flattened). <see langword="null"/> fields take Envoy's
/// defaults (effectively unlimited; connect timeout 10 s).
/// </summary>
internal sealed record ConnectionPoolConfig
{
    /// <summary><c>tcp.maxConnections</c>.</summary>
    public int? MaxConnections { get; init; }

    /// <summary><c>tcp.connectTimeout</c>.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary><c>tcp.maxConnectionDuration</c>.</summary>
    public TimeSpan? MaxConnectionDuration { get; init; }

    /// <summary><c>http.idleTimeout</c> (or <c>tcp.idleTimeout</c>).</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary><c>http.http1MaxPendingRequests</c>.</summary>
    public int? Http1MaxPendingRequests { get; init; }

    /// <summary><c>http.http2MaxRequests</c>: active requests to the cluster, any protocol (Envoy max_requests).</summary>
    public int? Http2MaxRequests { get; init; }

    /// <summary><c>http.maxRequestsPerConnection</c>; 0 or <see langword="null"/> is unlimited.</summary>
    public int? MaxRequestsPerConnection { get; init; }

    /// <summary><c>http.maxRetries</c>: outstanding retries to the cluster.</summary>
    public int? MaxRetries { get; init; }
}
