using System.Collections.Frozen;

namespace Gateway.Middleware.Tls;

/// <summary>
/// The TLS side of a configuration snapshot: per local port, the servers terminating TLS there (servers
/// without a port count on every port), and the servers that redirect plain-text requests to https.
/// </summary>
internal sealed class ServerTlsTable
{
    private readonly FrozenDictionary<int, ServerTlsSelector> _byPort;
    private readonly ServerTlsSelector? _anyPort;
    private readonly FrozenSet<string> _httpsRedirect;

    public ServerTlsTable(FrozenDictionary<int, ServerTlsSelector> byPort, ServerTlsSelector? anyPort, FrozenSet<string> httpsRedirect)
    {
        _byPort = byPort;
        _anyPort = anyPort;
        _httpsRedirect = httpsRedirect;
    }

    public static ServerTlsTable Empty { get; } = new(FrozenDictionary<int, ServerTlsSelector>.Empty, null, FrozenSet<string>.Empty);

    /// <summary>The TLS servers of <paramref name="port"/>; null when none terminates TLS there.</summary>
    public ServerTlsSelector? ForPort(int port) => _byPort.TryGetValue(port, out var selector) ? selector : _anyPort;

    /// <summary>Whether the server answers plain-text requests with a redirect to https (Istio <c>httpsRedirect</c>).</summary>
    public bool RedirectsToHttps(string serverName) => _httpsRedirect.Count > 0 && _httpsRedirect.Contains(serverName);
}
