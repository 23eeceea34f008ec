using System.Net;
using System.Net.Sockets;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>Free loopback ports, chosen at start (all held at once, so they differ).</summary>
internal static class Ports
{
    public static int[] Reserve(int count)
    {
        var listeners = new TcpListener[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener?.Stop();
            }
        }
    }
}
