using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// The client's IP address as text, formatted once per connection: Kestrel hands every request of a connection the
/// same <see cref="IPAddress"/>, so the string for X-Forwarded-For and the access log is kept beside it (weakly: it
/// goes when the connection's address does) instead of being formatted per request.
/// </summary>
internal static class PeerAddress
{
    private static readonly ConditionalWeakTable<IPAddress, string> s_text = new();

    /// <summary>The text of <see cref="ConnectionInfo.RemoteIpAddress"/>, or null when there is none (in-memory servers).</summary>
    public static string? RemoteText(HttpContext context)
        => context.Connection.RemoteIpAddress is { } address ? Text(address) : null;

    /// <summary>The text of an address (<see cref="IPAddress.ToString"/>), cached for this instance.</summary>
    public static string Text(IPAddress address)
        => s_text.TryGetValue(address, out var text) ? text : s_text.GetValue(address, static a => a.ToString());
}
