using System.Globalization;
using System.Net;
using Gateway.Middleware.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Gateway.Middleware.Upstreams.LoadBalancing;

/// <summary>
/// What a consistent hash keys on (Istio <c>ConsistentHashLB</c>): a header, a cookie (generated when absent and
/// a ttl is set), the client's IP address or a query parameter.
/// </summary>
internal sealed class RequestHashKey
{
    private readonly string? _header;
    private readonly HashCookieConfig? _cookie;
    private readonly bool _sourceIp;
    private readonly string? _queryParameter;

    public RequestHashKey(ConsistentHashConfig config)
    {
        _header = config.HttpHeaderName;
        _cookie = config.HttpCookie;
        _sourceIp = config.UseSourceIp;
        _queryParameter = config.HttpQueryParameterName;
    }

    public ulong? Compute(HttpContext context, out string? setCookie)
    {
        setCookie = null;
        if (_header is not null)
        {
            return HashValues(context.Request.Headers[_header]);
        }

        if (_cookie is not null)
        {
            return HashCookie(context, _cookie, out setCookie);
        }

        if (_sourceIp)
        {
            return HashAddress(context.Connection.RemoteIpAddress);
        }

        return _queryParameter is null ? null : HashValues(context.Request.Query[_queryParameter]);
    }

    private static ulong? HashValues(StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count == 1)
        {
            return StableHash.Of(values[0]);
        }

        var hash = new StableHash();
        foreach (var value in values)
        {
            hash.Add(value);
            hash.Add(",");
        }

        return hash.Finish();
    }

    private static ulong? HashAddress(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        _ = address.TryWriteBytes(bytes, out var written);
        var hash = new StableHash();
        hash.Add(bytes[..written]);
        return hash.Finish();
    }

    private static ulong? HashCookie(HttpContext context, HashCookieConfig cookie, out string? setCookie)
    {
        setCookie = null;
        foreach (var header in context.Request.Headers.Cookie)
        {
            if (FindCookie(header, cookie.Name, out var value))
            {
                return StableHash.Of(value);
            }
        }

        if (cookie.Ttl is not { } ttl)
        {
            // Without a ttl Envoy generates no cookie: the request is placed at random.
            return null;
        }

        var generated = GenerateValue(context.Connection);
        setCookie = FormatSetCookie(cookie, generated, ttl);
        return StableHash.Of(generated);
    }

    /// <summary>Finds <paramref name="name"/> in one <c>Cookie</c> header (RFC 6265 §4.2), unquoting its value as Envoy does.</summary>
    internal static bool FindCookie(ReadOnlySpan<char> header, string name, out ReadOnlySpan<char> value)
    {
        while (!header.IsEmpty)
        {
            var end = header.IndexOf(';');
            var pair = (end < 0 ? header : header[..end]).Trim();
            header = end < 0 ? default : header[(end + 1)..];
            var equals = pair.IndexOf('=');
            if (equals <= 0 || !pair[..equals].TrimEnd().SequenceEqual(name))
            {
                continue;
            }

            value = pair[(equals + 1)..].TrimStart();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// The value for a client without the cookie: a hash of the connection's addresses, so requests racing on one
    /// connection get the same cookie (Envoy hashes the downstream remote and local addresses the same way).
    /// </summary>
    private static string GenerateValue(ConnectionInfo connection)
    {
        var hash = new StableHash();
        hash.Add(connection.RemoteIpAddress?.ToString());
        hash.Add(connection.RemotePort.ToString(CultureInfo.InvariantCulture));
        hash.Add(connection.LocalIpAddress?.ToString());
        hash.Add(connection.LocalPort.ToString(CultureInfo.InvariantCulture));
        return hash.Finish().ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>Envoy's <c>makeSetCookieValue</c>: <c>name="value"; Max-Age=ttl; Path=path; HttpOnly</c>; a zero ttl makes a session cookie.</summary>
    private static string FormatSetCookie(HashCookieConfig cookie, string value, TimeSpan ttl)
    {
        var text = $"{cookie.Name}=\"{value}\"";
        var seconds = (long)ttl.TotalSeconds;
        if (seconds > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; Max-Age={seconds}");
        }

        if (!string.IsNullOrEmpty(cookie.Path))
        {
            text += "; Path=" + cookie.Path;
        }

        return text + "; HttpOnly";
    }
}
