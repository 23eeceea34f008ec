using Gateway.Middleware.Builder;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>One <see cref="RoutingTestHost"/> shared by the rows of a test class, started once.</summary>
public abstract class RoutingFixture : IAsyncLifetime
{
    private RoutingTestHost? _host;

    public RoutingTestHost Host => _host ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>Upstreams the routes send to, besides <c>up</c>.</summary>
    protected virtual string[] Upstreams => [];

    public async Task InitializeAsync() => _host = await RoutingTestHost.StartAsync(Configure, Upstreams);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    protected abstract void Configure(IGatewayBuilder gateway);
}
