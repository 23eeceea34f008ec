using Gateway.Middleware.Builder;
using Gateway.Middleware.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Tls;

/// <summary>
/// A gateway on real Kestrel: one loopback endpoint served with <c>UseGatewayTls()</c> (servers declared
/// without a port apply to it) and optionally a plain-text one. Records what it logs (<see cref="Events"/>).
/// </summary>
public sealed class TlsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsGateway(WebApplication app, LogRecorder events)
    {
        _app = app;
        Events = events;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        TlsPort = new Uri(addresses.First(a => a.StartsWith("https", StringComparison.Ordinal))).Port;
        PlainPort = addresses.Where(a => a.StartsWith("http:", StringComparison.Ordinal)).Select(a => new Uri(a).Port).FirstOrDefault();
    }

    public int TlsPort { get; }

    /// <summary>The plain-text port; 0 when none was asked for.</summary>
    public int PlainPort { get; }

    public LogRecorder Events { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TlsGateway> StartAsync(Action<IGatewayBuilder> configure, bool plainText = false, Action<GatewayForwardingOptions>? forwarding = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var events = new LogRecorder();
        builder.Logging.AddProvider(events).AddFilter<LogRecorder>(null, LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.UseGatewayTls());
            if (plainText)
            {
                kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        var gateway = builder.Services.AddGateway();
        if (forwarding is not null)
        {
            gateway.ConfigureForwarding(forwarding);
        }

        configure(gateway);
        var app = builder.Build();
        app.UseGateway();
        await app.StartAsync();
        return new TlsGateway(app, events);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
