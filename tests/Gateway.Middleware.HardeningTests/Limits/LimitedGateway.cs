using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.HardeningTests.Limits;

/// <summary>
/// A gateway on real Kestrel whose server limits the test sets (the shared GatewayHost lifts the body limit), routing
/// every request to one upstream.
/// </summary>
internal sealed class LimitedGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LimitedGateway(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts the gateway; <paramref name="limits"/> runs on Kestrel's defaults (null: leave them).</summary>
    public static async Task<LimitedGateway> StartAsync(string upstream, Action<KestrelServerLimits>? limits)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            limits?.Invoke(kestrel.Limits);
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGateway()
            .AddUpstream("svc", u => u.Endpoint(upstream))
            .AddRoute("all", r => r.Hosts("*").RouteTo("svc"));
        var app = builder.Build();
        app.UseGateway();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LimitedGateway(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
