namespace Gateway.Middleware.Upstreams;

/// <summary>
/// A compiled upstream: its endpoints and the one pooled <see cref="HttpMessageInvoker"/> every request to
/// it shares.
/// </summary>
internal sealed class UpstreamCluster : IDisposable
{
    private readonly UpstreamEndpoint[] _endpoints;
    private int _next = -1;

    public UpstreamCluster(string name, UpstreamEndpoint[] endpoints, UpstreamProtocol protocol, HttpMessageInvoker invoker)
    {
        Name = name;
        _endpoints = endpoints;
        Protocol = protocol;
        Invoker = invoker;
    }

    public string Name { get; }

    public UpstreamProtocol Protocol { get; }

    public HttpMessageInvoker Invoker { get; }

    public int EndpointCount => _endpoints.Length;

    /// <summary>Round-robin over the endpoints; <see langword="null"/> when there is none.</summary>
    public UpstreamEndpoint? PickEndpoint()
    {
        var endpoints = _endpoints;
        if (endpoints.Length == 0)
        {
            return null;
        }

        var index = (uint)Interlocked.Increment(ref _next) % (uint)endpoints.Length;
        return endpoints[index];
    }

    public void Dispose() => Invoker.Dispose();
}
