using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

#pragma warning disable CA1050 // The runtime looks startup hooks up as the global type StartupHook.

/// <summary>
/// Loaded into every .NET process the harness starts (<c>DOTNET_STARTUP_HOOKS</c>), the IstioGateway sample
/// included, without changing the apps: with <c>LOADTEST_ALLOC_PORT</c> it answers any HTTP request on that
/// loopback port with <see cref="GC.GetTotalAllocatedBytes(bool)"/>; with <c>LOADTEST_PARENT_PID</c> it exits
/// the process when the harness is gone (even if the harness was killed with SIGKILL).
/// </summary>
internal static class StartupHook
#pragma warning restore CA1050
{
    /// <summary>Called by the runtime before <c>Main</c>.</summary>
    public static void Initialize()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("LOADTEST_ALLOC_PORT"), CultureInfo.InvariantCulture, out var port))
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            new Thread(() => ServeAllocatedBytes(listener)) { IsBackground = true, Name = "loadtest-alloc" }.Start();
        }

        if (Environment.GetEnvironmentVariable("LOADTEST_ALLOC_TYPES") == "1")
        {
            AllocationSampler.Start();
        }

        if (int.TryParse(Environment.GetEnvironmentVariable("LOADTEST_PARENT_PID"), CultureInfo.InvariantCulture, out var parent))
        {
            new Thread(() => ExitWithParent(parent)) { IsBackground = true, Name = "loadtest-parent" }.Start();
        }
    }

    private static void ServeAllocatedBytes(TcpListener listener)
    {
        var buffer = new byte[4096];
        while (true)
        {
            using var client = listener.AcceptTcpClient();
            using var stream = client.GetStream();
            var read = 0;
            while (read < buffer.Length)
            {
                var n = stream.Read(buffer, read, buffer.Length - read);
                if (n == 0)
                {
                    break;
                }

                read += n;
                if (Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    break;
                }
            }

            var types = Encoding.ASCII.GetString(buffer, 0, read).StartsWith("GET /types", StringComparison.Ordinal);
            var body = types
                ? AllocationSampler.Report()
                : GC.GetTotalAllocatedBytes(precise: true).ToString(CultureInfo.InvariantCulture);
            var response = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
            stream.Write(Encoding.ASCII.GetBytes(response));
        }
    }

    private static void ExitWithParent(int parent)
    {
        while (true)
        {
            Thread.Sleep(1000);
            try
            {
                using var process = Process.GetProcessById(parent);
                if (!process.HasExited)
                {
                    continue;
                }
            }
            catch (ArgumentException)
            {
                // No such process any more.
            }

            Environment.Exit(3);
        }
    }
}
