using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Infrastructure;

/// <summary>A real Kestrel upstream on 127.0.0.1 with an OS-assigned port.</summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestUpstream(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>"http://127.0.0.1:port" or "https://127.0.0.1:port".</summary>
    public string Address { get; }

    public int Port => new Uri(Address).Port;

    public static Task<TestUpstream> StartAsync(RequestDelegate handler, HttpProtocols protocols = HttpProtocols.Http1, X509Certificate2? certificate = null)
        => StartAsync(app => app.Run(handler), protocols, certificate);

    public static async Task<TestUpstream> StartAsync(
        Action<WebApplication> configureApp,
        HttpProtocols protocols = HttpProtocols.Http1,
        X509Certificate2? certificate = null,
        Action<IServiceCollection>? configureServices = null,
        Action<Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions>? configureHttps = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = protocols;
                if (certificate is not null)
                {
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = certificate;
                        configureHttps?.Invoke(https);
                    });
                }
            });
        });
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        configureApp(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestUpstream(app, address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
