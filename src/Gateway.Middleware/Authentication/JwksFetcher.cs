using System.Net;
using System.Net.Sockets;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// The HTTP client JWKS documents are fetched with: a timeout, no redirects, a size cap, and no connection
/// to link-local or cloud metadata addresses, checked on the address actually dialled so DNS cannot
/// smuggle one in (SSRF through a configured or rebinding <c>jwksUri</c>).
/// </summary>
internal static class JwksFetcher
{
    /// <summary>A JWKS is a few kilobytes; a megabyte is plenty and bounds memory.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    public static HttpClient CreateClient(TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectAsync,
        };
        return new HttpClient(handler) { Timeout = timeout, MaxResponseContentBufferSize = MaxDocumentBytes };
    }

    /// <summary>169.254.0.0/16, fe80::/10, and the metadata services reachable outside them.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> bytes = stackalloc byte[4];
            address.TryWriteBytes(bytes, out _);
            return (bytes[0] == 169 && bytes[1] == 254)
                || (bytes[0] == 100 && bytes[1] == 100 && bytes[2] == 100 && bytes[3] == 200); // Alibaba Cloud metadata
        }

        // AWS's IPv6 metadata endpoint fd00:ec2::254.
        return address.IsIPv6LinkLocal || address.Equals(AwsIPv6Metadata);
    }

    private static readonly IPAddress AwsIPv6Metadata = IPAddress.Parse("fd00:ec2::254");

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = Array.FindAll(addresses, a => !IsForbidden(a));
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"JWKS host '{host}' resolves only to link-local or metadata addresses; refusing to connect.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
