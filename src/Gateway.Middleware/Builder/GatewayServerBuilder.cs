using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>Declares a server (an Istio Gateway <c>servers</c> entry): the hosts served on a port.</summary>
public sealed class GatewayServerBuilder
{
    private readonly string _name;
    private readonly List<string> _hosts = [];
    private int? _port;
    private bool _tls;
    private bool _httpsRedirect;
    private GatewayServerTlsBuilder? _tlsSettings;

    internal GatewayServerBuilder(string name)
    {
        _name = name;
    }

    /// <summary>The local port (a Kestrel endpoint the app listens on). Default: every port.</summary>
    public GatewayServerBuilder Port(int port)
    {
        _port = port;
        return this;
    }

    /// <summary>Hosts served: exact names, <c>*.suffix</c> wildcards or <c>*</c>. Default <c>*</c>.</summary>
    public GatewayServerBuilder Hosts(params string[] hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        _hosts.AddRange(hosts);
        return this;
    }

    /// <summary>
    /// Marks the server as terminating TLS with a certificate the application's own Kestrel HTTPS settings
    /// provide: a request whose <c>:authority</c> selects another server than the connection's SNI is
    /// answered 421 Misdirected Request. Use <see cref="Tls(Action{GatewayServerTlsBuilder})"/> to give the
    /// server its own certificate.
    /// </summary>
    public GatewayServerBuilder Tls(bool tls = true)
    {
        _tls = tls;
        _tlsSettings = null;
        return this;
    }

    /// <summary>
    /// The server terminates TLS with its own certificate (Istio <c>servers[].tls</c>); listen on its port with
    /// <c>ListenOptions.UseGatewayTls()</c>, which picks the server's certificate by SNI per connection.
    /// </summary>
    /// <example><code>
    /// gateway.AddServer("https", s => s.Port(8443).Hosts("bookinfo.example.com")
    ///     .Tls(t => t.Certificate("certs/bookinfo.crt", "certs/bookinfo.key")));
    /// </code></example>
    public GatewayServerBuilder Tls(Action<GatewayServerTlsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _tls = true;
        _tlsSettings = new GatewayServerTlsBuilder();
        configure(_tlsSettings);
        return this;
    }

    /// <summary>
    /// Istio <c>tls.httpsRedirect</c>: plain-text requests for the server's hosts are answered 301 with the same
    /// URL over https, unless they arrived over TLS or through a trusted proxy that says
    /// <c>X-Forwarded-Proto: https</c> (see <c>GatewayForwardingOptions.TrustedProxyHops</c>).
    /// </summary>
    public GatewayServerBuilder HttpsRedirect(bool redirect = true)
    {
        _httpsRedirect = redirect;
        return this;
    }

    internal ServerConfig Build() => new()
    {
        Name = _name,
        Port = _port,
        Hosts = _hosts.Count == 0 ? ["*"] : [.. _hosts],
        Tls = _tls,
        TlsSettings = _tlsSettings?.Build(_name),
        HttpsRedirect = _httpsRedirect,
        Source = $"server '{_name}'",
    };
}
