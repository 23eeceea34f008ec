using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Testing;

/// <summary>
/// A fake service for one upstream (or one subset of it), on real Kestrel at <c>127.0.0.1</c> with a port the OS
/// picks. It records every request it receives (<see cref="Requests"/>) and answers with a configurable response,
/// by default <c>200</c> with <c>{"upstream":"reviews","subset":"v2","path":"/reviews/1"}</c> and an
/// <c>x-fake-upstream</c> header naming it. Point the gateway at it with
/// <see cref="FakeUpstreamServiceCollectionExtensions.RedirectUpstream(Microsoft.Extensions.DependencyInjection.IServiceCollection, FakeUpstream)"/>
/// or <see cref="FakeUpstreamWebApplicationFactoryExtensions.WithFakeUpstreams{TEntryPoint}"/>.
/// </summary>
public sealed partial class FakeUpstream : IAsyncDisposable
{
    /// <summary>The response header naming the fake that answered (<c>reviews</c> or <c>reviews/v2</c>).</summary>
    public const string ResponseHeader = "x-fake-upstream";

    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app, string upstream, string? subset)
    {
        _app = app;
        Upstream = upstream;
        Subset = subset;
        Address = "";
    }

    /// <summary>The upstream (service host) this fake stands in for, e.g. <c>reviews</c>.</summary>
    public string Upstream { get; }

    /// <summary>The subset it stands in for, or <see langword="null"/> for the whole service.</summary>
    public string? Subset { get; }

    /// <summary><c>http://127.0.0.1:port</c>, or <c>https://127.0.0.1:port</c> with TLS.</summary>
    public string Address { get; private set; }

    /// <summary>Starts a plain-text HTTP/1.1 fake for the whole of <paramref name="upstream"/>.</summary>
    /// <param name="upstream">The upstream it stands in for (an <c>AddUpstream</c> name, a service host, or a Kubernetes short name).</param>
    /// <returns>The started fake; dispose it to stop it.</returns>
    public static Task<FakeUpstream> StartAsync(string upstream) => StartCoreAsync(upstream, null, null);

    /// <summary>Starts a fake for the whole of <paramref name="upstream"/>.</summary>
    /// <param name="upstream">The upstream it stands in for (an <c>AddUpstream</c> name, a service host, or a Kubernetes short name).</param>
    /// <param name="configure">Protocols and TLS.</param>
    /// <returns>The started fake; dispose it to stop it.</returns>
    public static Task<FakeUpstream> StartAsync(string upstream, Action<FakeUpstreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return StartCoreAsync(upstream, null, configure);
    }

    /// <summary>Starts a fake for subset <paramref name="subset"/> of <paramref name="upstream"/>.</summary>
    /// <param name="upstream">The upstream it stands in for.</param>
    /// <param name="subset">The DestinationRule subset, e.g. <c>v2</c>.</param>
    /// <param name="configure">Protocols and TLS; default plain-text HTTP/1.1.</param>
    /// <returns>The started fake; dispose it to stop it.</returns>
    public static Task<FakeUpstream> StartAsync(string upstream, string subset, Action<FakeUpstreamOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(subset);
        return StartCoreAsync(upstream, subset, configure);
    }

    /// <summary>Stops the fake.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The fake's name and address.</summary>
    /// <returns>E.g. <c>FakeUpstream 'reviews' subset 'v2' at http://127.0.0.1:41234</c>.</returns>
    public override string ToString()
        => Subset is null ? $"FakeUpstream '{Upstream}' at {Address}" : $"FakeUpstream '{Upstream}' subset '{Subset}' at {Address}";

    private static async Task<FakeUpstream> StartCoreAsync(string upstream, string? subset, Action<FakeUpstreamOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstream);
        var options = new FakeUpstreamOptions();
        configure?.Invoke(options);
        if (options.RequireClientCertificate && options.ServerCertificate is null)
        {
            throw new ArgumentException("RequireClientCertificate needs a ServerCertificate: client certificates only exist over TLS.", nameof(configure));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen =>
            {
                var tls = options.ServerCertificate;
                listen.Protocols = options.Protocols ?? (tls is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2);
                if (tls is not null)
                {
                    listen.UseHttps(https => ConfigureHttps(https, tls, options));
                }
            });
        });

        var app = builder.Build();
        var fake = new FakeUpstream(app, upstream, subset);
        app.Run(fake.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Address = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        return fake;
    }

    private static void ConfigureHttps(HttpsConnectionAdapterOptions https, X509Certificate2 certificate, FakeUpstreamOptions options)
    {
        https.ServerCertificate = certificate;
        https.ClientCertificateMode = options.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.AllowCertificate;
        var authority = options.ClientCertificateAuthority;
        https.ClientCertificateValidation = (client, _, _) => authority is null || ChainsTo(client, authority);
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
