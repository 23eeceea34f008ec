using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;
using Gateway.Middleware.Upstreams.Tls;

namespace Gateway.Middleware.Tests.UpstreamTls;

/// <summary>DestinationRule <c>connectionPool</c> settings the handler itself enforces.</summary>
public sealed class UpstreamHandlerFactoryTests
{
    private static readonly UpstreamConfig Upstream = new()
    {
        Name = "reviews",
        Endpoints = [new EndpointConfig("http://127.0.0.1:9080")],
        ConnectTimeout = TimeSpan.FromSeconds(3),
    };

    [Fact]
    public void CreateHandler_ConnectionPool_SetsTimeoutsLifetimeAndMaxConnections()
    {
        var policy = new ResolvedTrafficPolicy
        {
            ConnectionPool = new ConnectionPoolConfig
            {
                ConnectTimeout = TimeSpan.FromMilliseconds(250),
                IdleTimeout = TimeSpan.FromSeconds(30),
                MaxConnectionDuration = TimeSpan.FromMinutes(5),
                MaxConnections = 7,
            },
        };

        using var handler = UpstreamHandlerFactory.CreateHandler(Upstream, policy, UpstreamTlsServices.Default);

        Assert.Equal(TimeSpan.FromMilliseconds(250), handler.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), handler.PooledConnectionIdleTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), handler.PooledConnectionLifetime);
        Assert.Equal(7, handler.MaxConnectionsPerServer);
        Assert.NotNull(handler.ConnectCallback);
    }

    [Fact]
    public void CreateHandler_NoConnectionPool_UpstreamConnectTimeoutAndDefaults()
    {
        using var handler = UpstreamHandlerFactory.CreateHandler(Upstream, ResolvedTrafficPolicy.Default, UpstreamTlsServices.Default);

        Assert.Equal(TimeSpan.FromSeconds(3), handler.ConnectTimeout);
        Assert.Equal(UpstreamHandlerFactory.DefaultIdleTimeout, handler.PooledConnectionIdleTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, handler.PooledConnectionLifetime);
        Assert.Equal(int.MaxValue, handler.MaxConnectionsPerServer);
    }
}
