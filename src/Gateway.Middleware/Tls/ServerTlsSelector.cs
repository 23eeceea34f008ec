using Gateway.Middleware.Hosts;

namespace Gateway.Middleware.Tls;

/// <summary>
/// The servers terminating TLS on one port, chosen by the client's SNI as Envoy chooses a filter chain by
/// <c>server_names</c>: an exact host first, then the longest matching <c>*.suffix</c>, then <c>*</c>. A
/// connection without SNI, or with one no server declares, gets the port's first server.
/// </summary>
internal sealed class ServerTlsSelector
{
    private readonly (HostPattern Host, ServerTlsContext Server)[] _hosts;

    public ServerTlsSelector((HostPattern Host, ServerTlsContext Server)[] hosts, ServerTlsContext first)
    {
        _hosts = hosts;
        Default = first;
    }

    /// <summary>The server of a connection without (or with an unknown) SNI.</summary>
    public ServerTlsContext Default { get; }

    /// <summary>The server for <paramref name="sni"/> (see the class remarks); never null.</summary>
    public ServerTlsContext Select(string? sni) => Match(sni) ?? Default;

    /// <summary>The server whose hosts cover <paramref name="sni"/>; null when none does.</summary>
    public ServerTlsContext? Match(string? sni)
    {
        if (string.IsNullOrEmpty(sni))
        {
            return null;
        }

        ServerTlsContext? suffix = null;
        var suffixLength = 0;
        ServerTlsContext? any = null;
        foreach (var (host, server) in _hosts)
        {
            switch (host.Kind)
            {
                case HostPatternKind.Exact when string.Equals(host.Value, sni, StringComparison.OrdinalIgnoreCase):
                    return server;
                case HostPatternKind.Suffix when host.Value.Length > suffixLength
                    && sni.Length > host.Value.Length
                    && sni.EndsWith(host.Value, StringComparison.OrdinalIgnoreCase):
                    suffix = server;
                    suffixLength = host.Value.Length;
                    break;
                case HostPatternKind.Any:
                    any ??= server;
                    break;
            }
        }

        return suffix ?? any;
    }
}
