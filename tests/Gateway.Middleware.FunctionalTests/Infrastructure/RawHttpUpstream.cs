using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Middleware.FunctionalTests.Infrastructure;

/// <summary>
/// A TCP upstream that reads one request head per connection and answers with bytes the test chose, for
/// wire shapes Kestrel will not produce (HTTP/1.1 trailers, resets, truncated bodies).
/// </summary>
public sealed class RawHttpUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<NetworkStream, string, Task> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _requests;

    private RawHttpUpstream(Func<NetworkStream, string, Task> respond)
    {
        _respond = respond;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public string Address => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many request heads this upstream has read.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Answers every request with <paramref name="response"/> and closes the connection.</summary>
    public static Task<RawHttpUpstream> StartAsync(string response)
        => StartAsync(async (stream, _) => await stream.WriteAsync(Encoding.ASCII.GetBytes(response)));

    /// <summary>Calls <paramref name="respond"/> with the connection and the request head; the connection closes after.</summary>
    public static Task<RawHttpUpstream> StartAsync(Func<NetworkStream, string, Task> respond)
        => Task.FromResult(new RawHttpUpstream(respond));

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = HandleAsync(socket);
        }
    }

    private async Task HandleAsync(Socket socket)
    {
        using (socket)
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            try
            {
                var head = await ReadHeadAsync(stream, _stop.Token);
                Interlocked.Increment(ref _requests);
                await _respond(stream, head);
                await stream.FlushAsync();
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellation);
            if (read == 0)
            {
                break;
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return text;
            }
        }

        return Encoding.ASCII.GetString(buffer, 0, length);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
