using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Upstreams;

/// <summary>Builds the one <see cref="SocketsHttpHandler"/> an upstream's requests share.</summary>
internal static class UpstreamHandlerFactory
{
    public static HttpMessageInvoker Create(UpstreamConfig config, ResolvedTrafficPolicy policy)
    {
        _ = policy;
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
            ResponseDrainTimeout = TimeSpan.FromSeconds(5),
        };

        handler.SslOptions = CreateSslOptions(config.Tls, ExpectedServerName(config));
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>
    /// The name the upstream's certificate must carry: the configured SNI, else the endpoints' host when
    /// they share one, else the upstream's (service host) name.
    /// </summary>
    internal static string ExpectedServerName(UpstreamConfig config)
    {
        if (config.Tls?.Sni is { } sni)
        {
            return sni;
        }

        string? host = null;
        foreach (var endpoint in config.Endpoints)
        {
            if (Uri.TryCreate(endpoint.Address, UriKind.Absolute, out var uri))
            {
                if (host is not null && !string.Equals(host, uri.IdnHost, StringComparison.OrdinalIgnoreCase))
                {
                    return config.Name;
                }

                host = uri.IdnHost;
            }
        }

        return host ?? config.Name;
    }

    private static SslClientAuthenticationOptions CreateSslOptions(UpstreamTlsConfig? tls, string expectedName)
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

        // SocketsHttpHandler derives SNI and its own name check from the request's Host header, which here
        // is the client's. The certificate is therefore checked against the name the gateway expects, never
        // against a name the client chose; the chain result (system or configured roots) is kept.
        options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            certificate is X509Certificate2 leaf
            && (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateChainErrors)) == 0
            && leaf.MatchesHostname(expectedName);

        return options;
    }
}
