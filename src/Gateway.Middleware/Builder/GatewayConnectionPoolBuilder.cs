using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares connection limits (Istio <c>connectionPool</c>, Envoy circuit breakers). Unset limits are unlimited
/// (Istio's 2^32-1); a request past a limit is answered 503 <c>upstream connect error or disconnect/reset before
/// headers. reset reason: overflow</c> at once.
/// </summary>
public sealed class GatewayConnectionPoolBuilder
{
    private ConnectionPoolConfig _config = new();

    internal GatewayConnectionPoolBuilder()
    {
    }

    /// <summary>
    /// Connections per endpoint (Istio <c>tcp.maxConnections</c>). For HTTP/1.1 upstreams it also bounds the
    /// requests in flight to the upstream: <c>maxConnections + http1MaxPendingRequests</c>. Default unlimited.
    /// </summary>
    public GatewayConnectionPoolBuilder MaxConnections(int connections)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(connections);
        _config = _config with { MaxConnections = connections };
        return this;
    }

    /// <summary>How long a TCP connect may take (Istio <c>tcp.connectTimeout</c>). Default 10 s.</summary>
    public GatewayConnectionPoolBuilder ConnectTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _config = _config with { ConnectTimeout = timeout };
        return this;
    }

    /// <summary>How long a pooled connection may stay idle before it is closed (Istio <c>http.idleTimeout</c>). Default 1 minute.</summary>
    public GatewayConnectionPoolBuilder IdleTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _config = _config with { IdleTimeout = timeout };
        return this;
    }

    /// <summary>The longest a connection lives (Istio <c>tcp.maxConnectionDuration</c>). Default unlimited.</summary>
    public GatewayConnectionPoolBuilder MaxConnectionDuration(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        _config = _config with { MaxConnectionDuration = duration };
        return this;
    }

    /// <summary>
    /// Requests that may wait for an HTTP/1.1 connection once <see cref="MaxConnections"/> are busy (Istio
    /// <c>http.http1MaxPendingRequests</c>). Default unlimited.
    /// </summary>
    public GatewayConnectionPoolBuilder Http1MaxPendingRequests(int requests)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requests);
        _config = _config with { Http1MaxPendingRequests = requests };
        return this;
    }

    /// <summary>Requests in flight to the upstream, any protocol (Istio <c>http.http2MaxRequests</c>, Envoy <c>max_requests</c>). Default unlimited.</summary>
    public GatewayConnectionPoolBuilder Http2MaxRequests(int requests)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requests);
        _config = _config with { Http2MaxRequests = requests };
        return this;
    }

    /// <summary>
    /// Requests per HTTP/1.1 connection (Istio <c>http.maxRequestsPerConnection</c>): 1 disables keep-alive
    /// (<c>Connection: close</c> on every request); larger values are honoured on average (docs/upstreams.md).
    /// Default unlimited.
    /// </summary>
    public GatewayConnectionPoolBuilder MaxRequestsPerConnection(int requests)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requests);
        _config = _config with { MaxRequestsPerConnection = requests };
        return this;
    }

    /// <summary>Retries in flight to the upstream (Istio <c>http.maxRetries</c>); a retry past it is not attempted. Default unlimited.</summary>
    public GatewayConnectionPoolBuilder MaxRetries(int retries)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retries);
        _config = _config with { MaxRetries = retries };
        return this;
    }

    internal ConnectionPoolConfig Build() => _config;
}
