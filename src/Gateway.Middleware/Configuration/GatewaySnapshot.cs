using Gateway.Middleware.Authorization;
using Gateway.Middleware.Routing;

namespace Gateway.Middleware.Configuration;

/// <summary>
/// One compiled, immutable configuration. Requests read the current snapshot once and finish on it even if
/// a reload swaps in another.
/// </summary>
internal sealed class GatewaySnapshot : IDisposable
{
    private readonly HttpMessageInvoker[] _invokers;

    public GatewaySnapshot(ServerTable servers, HttpMessageInvoker[] invokers)
    {
        Servers = servers;
        _invokers = invokers;
    }

    public ServerTable Servers { get; }

    /// <summary>Every cluster the routes use, once each (the per-cluster metrics read them).</summary>
    public IReadOnlyList<Upstreams.UpstreamCluster> Clusters { get; init; } = [];

    /// <summary>The compiled authorization policies; <see cref="RbacEngine.Empty"/> when there are none.</summary>
    public RbacEngine Authorization { get; init; } = RbacEngine.Empty;

    /// <summary>The servers terminating TLS, per port, and those redirecting to https; empty when there are none.</summary>
    public Tls.ServerTlsTable Tls { get; init; } = Gateway.Middleware.Tls.ServerTlsTable.Empty;

    /// <summary>The validated configuration this snapshot was compiled from (sources included), for the config dump.</summary>
    public GatewayConfig? Config { get; init; }

    public void Dispose()
    {
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
    }
}
