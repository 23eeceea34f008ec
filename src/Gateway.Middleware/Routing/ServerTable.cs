using System.Collections.Frozen;

namespace Gateway.Middleware.Routing;

/// <summary>
/// Local port → the route table of the servers listening there. Servers declared without a port serve
/// every port.
/// </summary>
internal sealed class ServerTable
{
    private readonly FrozenDictionary<int, RouteTable> _byPort;
    private readonly RouteTable _anyPort;

    public ServerTable(FrozenDictionary<int, RouteTable> byPort, RouteTable anyPort)
    {
        _byPort = byPort;
        _anyPort = anyPort;
    }

    public static ServerTable Empty { get; } = new(FrozenDictionary<int, RouteTable>.Empty, RouteTable.Empty);

    /// <summary>The route tables of the declared ports (config dump).</summary>
    public IEnumerable<KeyValuePair<int, RouteTable>> Ports => _byPort;

    /// <summary>The route table of servers declared without a port (config dump).</summary>
    public RouteTable AnyPort => _anyPort;

    public RouteTable ForPort(int port) => _byPort.TryGetValue(port, out var table) ? table : _anyPort;
}
