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

    public void Dispose()
    {
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
    }
}
