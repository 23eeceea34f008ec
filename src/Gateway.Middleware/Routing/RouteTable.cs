using System.Collections.Frozen;
using Gateway.Middleware.Hosts;

namespace Gateway.Middleware.Routing;

/// <summary>
/// Host → virtual host lookup: an exact name beats any wildcard, the longer wildcard beats the shorter,
/// and <c>*</c> comes last (Envoy's virtual host selection). Both exact names and wildcard suffixes are
/// dictionary lookups on spans of the request's host, so the cost does not grow with the number of hosts
/// and nothing is allocated.
/// </summary>
internal sealed class RouteTable
{
    private readonly FrozenDictionary<string, VirtualHost>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly FrozenDictionary<string, VirtualHost>.AlternateLookup<ReadOnlySpan<char>> _suffixes;
    private readonly bool _hasSuffixes;
    private readonly VirtualHost? _any;

    /// <param name="exact">Exact host names (case-insensitive).</param>
    /// <param name="suffixesLongestFirst">Wildcard suffixes with their leading dot (<c>.example.com</c> for <c>*.example.com</c>).</param>
    /// <param name="any">The virtual host of <c>*</c>, if any.</param>
    public RouteTable(FrozenDictionary<string, VirtualHost> exact, (string Suffix, VirtualHost Host)[] suffixesLongestFirst, VirtualHost? any)
    {
        _exact = exact.GetAlternateLookup<ReadOnlySpan<char>>();
        var suffixes = new Dictionary<string, VirtualHost>(StringComparer.OrdinalIgnoreCase);
        foreach (var (suffix, host) in suffixesLongestFirst)
        {
            suffixes.TryAdd(suffix, host);
        }

        _suffixes = suffixes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _hasSuffixes = suffixes.Count > 0;
        _any = any;
        VirtualHosts = [.. exact.Values, .. suffixes.Values, .. any is null ? Array.Empty<VirtualHost>() : [any]];
    }

    /// <summary>Every virtual host of the table: exact names, wildcards, then <c>*</c> (config dump).</summary>
    public VirtualHost[] VirtualHosts { get; }

    public static RouteTable Empty { get; } = new(FrozenDictionary.Create<string, VirtualHost>(StringComparer.OrdinalIgnoreCase), [], null);

    /// <summary>Selects the virtual host for a <c>Host</c> header value (its port is ignored).</summary>
    public VirtualHost? MatchHost(ReadOnlySpan<char> hostHeader)
    {
        var host = HostName.WithoutPort(hostHeader);
        if (_exact.TryGetValue(host, out var exact))
        {
            return exact;
        }

        if (_hasSuffixes)
        {
            // "*.example.com" (stored as ".example.com") matches one or more labels before the suffix, never
            // the apex: try the host's suffixes starting at each dot after the first label, longest first.
            // A leading dot starts no label.
            var dot = host.IndexOf('.');
            if (dot == 0)
            {
                dot = NextDot(host, 0);
            }

            for (; dot > 0; dot = NextDot(host, dot))
            {
                if (_suffixes.TryGetValue(host[dot..], out var wildcard))
                {
                    return wildcard;
                }
            }
        }

        return _any;
    }

    private static int NextDot(ReadOnlySpan<char> host, int dot)
    {
        var next = host[(dot + 1)..].IndexOf('.');
        return next < 0 ? -1 : dot + 1 + next;
    }
}
