using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Upstreams;

/// <summary>Builds the one <see cref="SocketsHttpHandler"/> an upstream's requests share.</summary>
internal static class UpstreamHandlerFactory
{
    public static HttpMessageInvoker Create(UpstreamConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            // A proxy forwards exactly what it is given: no redirects, cookies, decompression or proxies.
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // Tracing headers are the gateway's own business (Diagnostics), not the handler's.
            ActivityHeadersPropagator = null,
            ConnectTimeout = config.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            EnableMultipleHttp2Connections = true,
            // Istio's default: no limit on the time a request may take (timeouts are per route).
            ResponseDrainTimeout = TimeSpan.FromSeconds(5),
        };

        handler.SslOptions = CreateSslOptions(config.Tls);
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private static SslClientAuthenticationOptions CreateSslOptions(UpstreamTlsConfig? tls)
    {
        var options = new SslClientAuthenticationOptions
        {
            // TLS 1.2 is the floor (DESIGN.md, "Upstream TLS").
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };

        if (tls?.Sni is { } sni)
        {
            options.TargetHost = sni;
        }

        if (tls?.TrustedRoots is { Count: > 0 } roots)
        {
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return options;
    }
}
