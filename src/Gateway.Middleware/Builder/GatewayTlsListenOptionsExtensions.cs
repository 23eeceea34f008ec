using Gateway.Middleware.Configuration;
using Gateway.Middleware.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Serves a Kestrel endpoint with the TLS settings of the gateway's servers.</summary>
public static class GatewayTlsListenOptionsExtensions
{
    /// <summary>
    /// Terminates TLS on this endpoint with the gateway's servers for its port (Istio <c>servers[].tls</c>):
    /// per connection, from the current configuration, the server is chosen by SNI (exact host, then the
    /// longest wildcard, then <c>*</c>; no or an unknown SNI: the port's first server), and its certificate,
    /// client certificate requirement and protocol versions apply. A configuration reload or a changed
    /// certificate file applies to new connections. HTTP/2 is negotiated by ALPN when
    /// <see cref="ListenOptions.Protocols"/> allows it (the default, HTTP/1.1 and HTTP/2).
    /// </summary>
    /// <example><code>
    /// builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(8443, l => l.UseGatewayTls()));
    /// builder.Services.AddGateway()
    ///     .AddServer("https", s => s.Port(8443).Hosts("bookinfo.example.com").Tls(t => t.Certificate(certPath, keyPath)));
    /// </code></example>
    /// <exception cref="InvalidOperationException">The endpoint has no application services (Kestrel not configured by a host).</exception>
    public static ListenOptions UseGatewayTls(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var services = listenOptions.ApplicationServices
            ?? throw new InvalidOperationException("UseGatewayTls needs the application's services: call it inside ConfigureKestrel of a host that calls AddGateway().");
        GatewayTlsHandshake? handshake = null;
        return listenOptions.UseHttps(new TlsHandshakeCallbackOptions
        {
            // Resolved on the first connection: the gateway's configuration is loaded by then.
            OnConnection = context => (handshake ??= new GatewayTlsHandshake(
                services.GetRequiredService<GatewayConfigProvider>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Middleware.Tls"))).OnConnection(context),
        });
    }
}
