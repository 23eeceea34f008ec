using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>Declares a server (an Istio Gateway <c>servers</c> entry): the hosts served on a port.</summary>
public sealed class GatewayServerBuilder
{
    private readonly string _name;
    private readonly List<string> _hosts = [];
    private int? _port;
    private bool _tls;

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
    /// Marks the server as terminating TLS: a request whose <c>:authority</c> selects another server than
    /// the connection's SNI is answered 421 Misdirected Request.
    /// </summary>
    public GatewayServerBuilder Tls(bool tls = true)
    {
        _tls = tls;
        return this;
    }

    internal ServerConfig Build() => new()
    {
        Name = _name,
        Port = _port,
        Hosts = _hosts.Count == 0 ? ["*"] : [.. _hosts],
        Tls = _tls,
        Source = $"server '{_name}'",
    };
}
