using System.Net;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams.Tls;

namespace Gateway.Middleware.Upstreams;

/// <summary>Builds the one <see cref="SocketsHttpHandler"/> an upstream's requests share.</summary>
internal static class UpstreamHandlerFactory
{
    /// <summary>Envoy keeps idle upstream connections for 1 h; a minute frees sockets sooner and costs little.</summary>
    internal static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(1);

    public static HttpMessageInvoker Create(UpstreamConfig config, ResolvedTrafficPolicy policy)
        => Create(config, policy, UpstreamTlsServices.Default);

    public static HttpMessageInvoker Create(UpstreamConfig config, ResolvedTrafficPolicy policy, UpstreamTlsServices tls, UpstreamConnections? connections = null)
        => new(CreateHandler(config, policy, tls, connections), disposeHandler: true);

    internal static SocketsHttpHandler CreateHandler(UpstreamConfig config, ResolvedTrafficPolicy policy, UpstreamTlsServices tls, UpstreamConnections? connections = null)
    {
        var pool = policy.ConnectionPool;
        var handler = new SocketsHttpHandler
        {
            // A proxy forwards exactly what it is given: no redirects, cookies, decompression or proxies.
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // Tracing headers are the gateway's own business (Diagnostics), not the handler's.
            ActivityHeadersPropagator = null,
            // Covers the TCP connect and the TLS handshake (both run in the ConnectCallback).
            ConnectTimeout = pool?.ConnectTimeout ?? config.ConnectTimeout,
            PooledConnectionIdleTimeout = pool?.IdleTimeout ?? DefaultIdleTimeout,
            PooledConnectionLifetime = pool?.MaxConnectionDuration ?? Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = true,
            ResponseDrainTimeout = TimeSpan.FromSeconds(5),
        };

        if (pool?.MaxConnections is { } maxConnections and > 0)
        {
            handler.MaxConnectionsPerServer = maxConnections;
        }

        var connector = new UpstreamConnector(UpstreamTlsCompiler.Compile(config, policy.Tls, tls), tls.Logger, connections);
        handler.ConnectCallback = connector.ConnectAsync;
        return handler;
    }
}
