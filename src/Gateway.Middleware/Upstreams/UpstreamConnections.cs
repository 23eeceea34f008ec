namespace Gateway.Middleware.Upstreams;

/// <summary>The connections a cluster's connection pool holds open, counted by its connect callback for the metrics.</summary>
internal sealed class UpstreamConnections
{
    private int _open;

    /// <summary>Connections dialled and not yet closed.</summary>
    public int Open => Volatile.Read(ref _open);

    public void Opened() => Interlocked.Increment(ref _open);

    public void Closed() => Interlocked.Decrement(ref _open);
}
