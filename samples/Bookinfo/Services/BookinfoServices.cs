using System.Net;
using System.Security.Authentication;
using Bookinfo.Demo;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Bookinfo.Services;

/// <summary>
/// Runs Bookinfo's services (productpage, details, ratings, reviews v1/v2/v3) as small ASP.NET Core apps on
/// 127.0.0.1, as a hosted service of the gateway: they start and stop with it. reviews only speaks TLS and only
/// to clients with a certificate from the demo CA, as a pod behind an Istio sidecar in STRICT mTLS.
/// </summary>
internal sealed class BookinfoServices(BookinfoDemo demo) : IHostedService, IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) });

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ratings = new Uri($"http://127.0.0.1:{demo.Ratings}");
        await StartAsync(Plain(demo.Details, DetailsService.Map), cancellationToken);
        await StartAsync(Plain(demo.Ratings, RatingsService.Map), cancellationToken);
        await StartAsync(MutualTls(demo.ReviewsV1, app => ReviewsService.Map(app, 1, ratings, _client)), cancellationToken);
        await StartAsync(MutualTls(demo.ReviewsV2, app => ReviewsService.Map(app, 2, ratings, _client)), cancellationToken);
        await StartAsync(MutualTls(demo.ReviewsV3, app => ReviewsService.Map(app, 3, ratings, _client)), cancellationToken);
        var productPage = new ProductPageService(
            _client,
            details: new Uri($"http://127.0.0.1:{demo.Details}"),
            ratings: ratings,
            gateway: new Uri($"http://127.0.0.1:{demo.HttpPort}"));
        await StartAsync(Plain(demo.ProductPage, productPage.Map), cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var app in _apps)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _apps.Clear();
        _client.Dispose();
    }

    private async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        _apps.Add(app);
    }

    private static WebApplication Plain(int port, Action<WebApplication> map)
        => Build(kestrel => kestrel.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1AndHttp2), map);

    private WebApplication MutualTls(int port, Action<WebApplication> map)
        => Build(kestrel => kestrel.Listen(IPAddress.Loopback, port, l => l.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = demo.Pki.Reviews,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            // Only certificates the demo CA issued: the gateway's client certificate, not just any valid one.
            ClientCertificateValidation = (certificate, _, _) => demo.Pki.IsIssuedByCa(certificate),
        })), map);

    private static WebApplication Build(Action<KestrelServerOptions> listen, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(listen);
        var app = builder.Build();
        map(app);
        return app;
    }
}
