namespace Gateway.Middleware.Hosts;

/// <summary>Reads the host name a request targets, without its port.</summary>
internal static class HostName
{
    /// <summary>
    /// The host of a <c>Host</c>/<c>:authority</c> value without the port; IPv6 literals keep their brackets.
    /// </summary>
    public static ReadOnlySpan<char> WithoutPort(ReadOnlySpan<char> host)
    {
        if (host.IsEmpty)
        {
            return host;
        }

        if (host[0] == '[')
        {
            var close = host.IndexOf(']');
            return close < 0 ? host : host[..(close + 1)];
        }

        var colon = host.LastIndexOf(':');
        return colon < 0 ? host : host[..colon];
    }
}
