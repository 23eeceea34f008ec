using System.Collections.Frozen;
using Gateway.Middleware.Hosts;

namespace Gateway.Middleware.Routing;

/// <summary>
/// Host → virtual host lookup: an exact name beats any wildcard, the longer wildcard beats the shorter,
/// and <c>*</c> comes last (Envoy's virtual host selection).
/// </summary>
internal sealed class RouteTable
{
    private readonly FrozenDictionary<string, VirtualHost>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly (string Suffix, VirtualHost Host)[] _suffixes;
    private readonly VirtualHost? _any;

    public RouteTable(FrozenDictionary<string, VirtualHost> exact, (string Suffix, VirtualHost Host)[] suffixesLongestFirst, VirtualHost? any)
    {
        _exact = exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _suffixes = suffixesLongestFirst;
        _any = any;
    }

    public static RouteTable Empty { get; } = new(FrozenDictionary.Create<string, VirtualHost>(StringComparer.OrdinalIgnoreCase), [], null);

    /// <summary>Selects the virtual host for a <c>Host</c> header value (its port is ignored).</summary>
    public VirtualHost? MatchHost(ReadOnlySpan<char> hostHeader)
    {
        var host = HostName.WithoutPort(hostHeader);
        if (_exact.TryGetValue(host, out var exact))
        {
            return exact;
        }

        foreach (var (suffix, virtualHost) in _suffixes)
        {
            if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return virtualHost;
            }
        }

        return _any;
    }
}
