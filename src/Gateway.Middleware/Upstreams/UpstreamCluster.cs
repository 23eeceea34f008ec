using System.Globalization;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Upstreams;

/// <summary>
/// A compiled destination cluster: one service, optionally narrowed to a subset and a port, its endpoints,
/// and the pooled <see cref="HttpMessageInvoker"/> its requests share. Named as Istio names clusters
/// (<c>outbound|port|subset|host</c>).
/// </summary>
internal sealed class UpstreamCluster
{
    private readonly UpstreamEndpoint[] _endpoints;
    private int _next = -1;

    public UpstreamCluster(string serviceName, string? subset, int? port, UpstreamEndpoint[] endpoints, UpstreamProtocol protocol, HttpMessageInvoker invoker, ResolvedTrafficPolicy policy)
    {
        Policy = policy;
        ServiceName = serviceName;
        Subset = subset;
        Port = port;
        _endpoints = endpoints;
        Protocol = protocol;
        Invoker = invoker;
        Name = string.Create(CultureInfo.InvariantCulture, $"outbound|{port}|{subset}|{serviceName}");
    }

    /// <summary><c>outbound|port|subset|host</c>, as Istio names the Envoy cluster.</summary>
    public string Name { get; }

    /// <summary>The service (upstream) name.</summary>
    public string ServiceName { get; }

    public string? Subset { get; }

    public int? Port { get; }

    public UpstreamProtocol Protocol { get; }

    /// <summary>The merged DestinationRule policy this cluster runs with.</summary>
    public ResolvedTrafficPolicy Policy { get; }

    /// <summary>When set, the cluster answers this status itself (an unresolvable Gateway API backendRef: 500).</summary>
    public int? LocalReplyStatus { get; init; }

    public HttpMessageInvoker Invoker { get; }

    public ReadOnlySpan<UpstreamEndpoint> Endpoints => _endpoints;

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
}
