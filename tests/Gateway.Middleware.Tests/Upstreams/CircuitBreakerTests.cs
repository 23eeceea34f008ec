using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;
using Gateway.Middleware.Upstreams.CircuitBreaking;

namespace Gateway.Middleware.Tests.Upstreams;

/// <summary>Istio <c>connectionPool</c> limits as Envoy's circuit breakers admit requests.</summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public void Http1_MaxConnectionsPlusPending_Admitted_RestOverflow()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolConfig { MaxConnections = 1, Http1MaxPendingRequests = 1 }, UpstreamProtocol.Http1);

        Assert.True(breaker.TryAcquireRequest());
        Assert.True(breaker.TryAcquireRequest());
        Assert.False(breaker.TryAcquireRequest());
        Assert.Equal(2, breaker.ActiveRequests);

        breaker.ReleaseRequest();

        Assert.True(breaker.TryAcquireRequest());
    }

    [Fact]
    public void Http2MaxRequests_BoundsEveryProtocol()
    {
        var http1 = new CircuitBreaker(new ConnectionPoolConfig { Http2MaxRequests = 2 }, UpstreamProtocol.Http1);
        var http2 = new CircuitBreaker(new ConnectionPoolConfig { Http2MaxRequests = 2, MaxConnections = 1 }, UpstreamProtocol.Http2);

        foreach (var breaker in new[] { http1, http2 })
        {
            Assert.True(breaker.TryAcquireRequest());
            Assert.True(breaker.TryAcquireRequest());
            Assert.False(breaker.TryAcquireRequest());
        }
    }

    [Fact]
    public void Http1_TightestLimitWins()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolConfig { MaxConnections = 5, Http1MaxPendingRequests = 5, Http2MaxRequests = 3 }, UpstreamProtocol.Http1);

        Assert.Equal(3, Admitted(breaker, 10));
    }

    [Fact]
    public void MaxConnectionsWithoutPendingLimit_Unbounded()
    {
        // Istio's default http1MaxPendingRequests is 2^32-1: requests wait for a connection, none overflow.
        var breaker = new CircuitBreaker(new ConnectionPoolConfig { MaxConnections = 1 }, UpstreamProtocol.Http1);

        Assert.Equal(1_000, Admitted(breaker, 1_000));
    }

    [Fact]
    public void MaxRetries_BoundsOutstandingRetries()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolConfig { MaxRetries = 1 }, UpstreamProtocol.Http1);

        Assert.True(breaker.TryAcquireRetry());
        Assert.False(breaker.TryAcquireRetry());
        breaker.ReleaseRetry();
        Assert.True(breaker.TryAcquireRetry());
    }

    [Fact]
    public void Unlimited_AlwaysAdmits()
    {
        Assert.Equal(10_000, Admitted(CircuitBreaker.Unlimited, 10_000));
        Assert.True(CircuitBreaker.Unlimited.TryAcquireRetry());
        Assert.False(CircuitBreaker.Unlimited.ShouldCloseConnection());
    }

    [Fact]
    public void MaxRequestsPerConnection_One_EveryRequestClosesItsConnection()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolConfig { MaxRequestsPerConnection = 1 }, UpstreamProtocol.Http1);

        Assert.All(Enumerable.Range(0, 5), _ => Assert.True(breaker.ShouldCloseConnection()));
    }

    [Fact]
    public void MaxRequestsPerConnection_Three_EveryThirdRequestCloses()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolConfig { MaxRequestsPerConnection = 3 }, UpstreamProtocol.Http1);

        Assert.Equal([false, false, true, false, false, true], Enumerable.Range(0, 6).Select(_ => breaker.ShouldCloseConnection()));
    }

    [Fact]
    public void MaxRequestsPerConnection_Http2_NotApplied()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolConfig { MaxRequestsPerConnection = 1 }, UpstreamProtocol.Http2);

        Assert.False(breaker.ShouldCloseConnection());
    }

    private static int Admitted(CircuitBreaker breaker, int attempts)
    {
        var admitted = 0;
        for (var i = 0; i < attempts; i++)
        {
            admitted += breaker.TryAcquireRequest() ? 1 : 0;
        }

        return admitted;
    }
}
