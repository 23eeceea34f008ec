using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Infrastructure;

/// <summary>A gateway built with the fluent API, on real Kestrel at 127.0.0.1 with an OS-assigned port.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public int Port => new Uri(Address).Port;

    public IServiceProvider Services => _app.Services;

    public static async Task<GatewayHost> StartAsync(
        Action<IGatewayBuilder> configure,
        HttpProtocols protocols = HttpProtocols.Http1AndHttp2,
        X509Certificate2? certificate = null,
        Action<GatewayForwardingOptions>? forwarding = null,
        Action<IApplicationBuilder>? beforeGateway = null,
        int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("GATEWAY_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(System.Net.IPAddress.Loopback, port, listen =>
            {
                // Without TLS, HTTP/1.1 + HTTP/2 means HTTP/1.1 only; tests that want h2c ask for Http2.
                listen.Protocols = certificate is null && protocols == HttpProtocols.Http1AndHttp2 ? HttpProtocols.Http1 : protocols;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        var gateway = builder.Services.AddGateway();
        if (forwarding is not null)
        {
            gateway.ConfigureForwarding(forwarding);
        }

        configure(gateway);
        var app = builder.Build();
        beforeGateway?.Invoke(app);
        app.UseGateway();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayHost(app, address);
    }

    /// <summary>A client for the gateway that sends requests with the given Host (default "localhost").</summary>
    public HttpClient CreateClient(Version? version = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(Address),
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (version is not null)
        {
            client.DefaultRequestVersion = version;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
