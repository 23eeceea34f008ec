using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Middleware.HardeningTests.Smuggling;

/// <summary>
/// Sends bytes the test chose over a plain TCP connection and reads every byte the server answers until it
/// closes the connection (or a deadline passes), for requests no HTTP client library would produce.
/// </summary>
internal static class RawHttp
{
    /// <summary>A valid request that ends the connection; pipelined after an attack so that anything the attack left
    /// in the connection (a smuggled request head waiting for its end) is completed and processed before the read ends.</summary>
    public const string Probe = "GET /probe HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n";

    /// <summary>Sends <paramref name="request"/> (ASCII, or Latin-1 for bytes above 0x7F) and returns everything read until the server closes.</summary>
    public static Task<string> SendAsync(int port, string request, TimeSpan? deadline = null)
        => SendAsync(port, Encoding.Latin1.GetBytes(request), deadline);

    public static async Task<string> SendAsync(int port, byte[] request, TimeSpan? deadline = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await stream.WriteAsync(request);
        }
        catch (IOException)
        {
            // The server may answer 400 and close before it has read everything; what it answered is still readable.
        }

        return await ReadToCloseAsync(stream, deadline ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>Reads until the peer closes; throws <see cref="TimeoutException"/> with what was read if the deadline passes.</summary>
    public static async Task<string> ReadToCloseAsync(Stream stream, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return text.ToString();
                }

                text.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("the server did not close the connection; read so far: " + text);
        }
        catch (IOException)
        {
            // A reset after the answer (Kestrel aborts a connection it rejected): the answer is what counts.
            return text.ToString();
        }
    }

    /// <summary>The status codes of every response in <paramref name="raw"/>, in order.</summary>
    public static int[] StatusCodes(string raw)
    {
        var codes = new List<int>();
        var index = 0;
        while ((index = raw.IndexOf("HTTP/1.1 ", index, StringComparison.Ordinal)) >= 0)
        {
            if (index == 0 || raw[index - 1] == '\n')
            {
                codes.Add(int.Parse(raw.AsSpan(index + 9, 3), System.Globalization.CultureInfo.InvariantCulture));
            }

            index += 9;
        }

        return [.. codes];
    }
}
