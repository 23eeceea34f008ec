using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Upstreams.CircuitBreaking;

/// <summary>
/// Envoy's circuit breakers for one cluster from Istio <c>connectionPool</c>, as admission counters: a request
/// beyond the limits is answered 503 <c>overflow</c> at once instead of waiting. Requests in flight may not reach
/// <c>http2MaxRequests</c> (Envoy <c>max_requests</c>, any protocol); to an HTTP/1.1 upstream they may not exceed
/// <c>maxConnections</c> plus <c>http1MaxPendingRequests</c> (those beyond <c>maxConnections</c> wait in the
/// handler's queue for a connection, as Envoy's pending requests do). Retries in flight may not reach
/// <c>maxRetries</c>. Unset limits (Istio's default 2^32-1) cost nothing.
/// </summary>
internal sealed class CircuitBreaker
{
    public static readonly CircuitBreaker Unlimited = new(null, UpstreamProtocol.Http1);

    private readonly int _maxRequests;
    private readonly int _maxRetries;
    private readonly int _requestsPerConnection;
    private readonly int _connections;
    private int _requests;
    private int _retries;
    private int _sent;

    public CircuitBreaker(ConnectionPoolConfig? pool, UpstreamProtocol protocol)
    {
        long maxRequests = Limit(pool?.Http2MaxRequests);
        _connections = int.MaxValue;
        if (protocol != UpstreamProtocol.Http2 && pool?.MaxConnections is > 0 and var connections)
        {
            maxRequests = Math.Min(maxRequests, (long)connections + Limit(pool.Http1MaxPendingRequests));
            _connections = connections;
        }

        _maxRequests = (int)Math.Min(maxRequests, int.MaxValue);
        _maxRetries = Limit(pool?.MaxRetries);
        _requestsPerConnection = protocol == UpstreamProtocol.Http2 ? 0 : Math.Max(0, pool?.MaxRequestsPerConnection ?? 0);
    }

    /// <summary>Requests in flight (counted only when a limit applies).</summary>
    public int ActiveRequests => Volatile.Read(ref _requests);

    /// <summary>
    /// Admitted requests beyond <c>maxConnections</c> to an HTTP/1.1 upstream: those waiting in the handler's queue
    /// for a connection (Envoy's pending requests); 0 when no such limit applies.
    /// </summary>
    public int PendingRequests => _connections == int.MaxValue ? 0 : Math.Max(0, ActiveRequests - _connections);

    /// <summary>Admits a request; every admitted request must be <see cref="ReleaseRequest"/>d exactly once.</summary>
    public bool TryAcquireRequest() => TryAcquire(ref _requests, _maxRequests);

    public void ReleaseRequest() => Release(ref _requests, _maxRequests);

    /// <summary>Admits a retry; every admitted retry must be <see cref="ReleaseRetry"/>d exactly once.</summary>
    public bool TryAcquireRetry() => TryAcquire(ref _retries, _maxRetries);

    public void ReleaseRetry() => Release(ref _retries, _maxRetries);

    /// <summary>
    /// Whether this HTTP/1.1 request should close its connection (<c>Connection: close</c>) to honour
    /// <c>maxRequestsPerConnection</c>: always for 1 (no keep-alive); for larger values every n-th request of the
    /// cluster, so connections serve n requests on average.
    /// </summary>
    public bool ShouldCloseConnection()
    {
        var perConnection = _requestsPerConnection;
        return perConnection == 1 || (perConnection > 1 && (uint)Interlocked.Increment(ref _sent) % (uint)perConnection == 0);
    }

    private static int Limit(int? value) => value is > 0 and var limit ? limit : int.MaxValue;

    private static bool TryAcquire(ref int counter, int max)
    {
        if (max == int.MaxValue)
        {
            return true;
        }

        if (Interlocked.Increment(ref counter) > max)
        {
            Interlocked.Decrement(ref counter);
            return false;
        }

        return true;
    }

    private static void Release(ref int counter, int max)
    {
        if (max != int.MaxValue)
        {
            Interlocked.Decrement(ref counter);
        }
    }
}
