namespace Gateway.Middleware.Configuration;

/// <summary>The traffic policy a (service, subset, port) cluster runs with, after Istio's merge rules.</summary>
internal sealed record ResolvedTrafficPolicy
{
    public static readonly ResolvedTrafficPolicy Default = new();

    public LoadBalancerConfig? LoadBalancer { get; init; }

    public ConnectionPoolConfig? ConnectionPool { get; init; }

    public OutlierDetectionConfig? OutlierDetection { get; init; }

    public UpstreamTlsConfig? Tls { get; init; }

    /// <summary>The port whose <c>portLevelSettings</c> applied, if any (clusters with it get their own connection pool).</summary>
    public int? PortLevelPort { get; init; }
}

/// <summary>
/// Merges an upstream's DestinationRule policy as Istio does (<c>MergeTrafficPolicy</c>): the top-level
/// policy, replaced for the port by a matching top-level <c>portLevelSettings</c> entry; then each field the
/// subset's policy sets overrides it; then a matching subset <c>portLevelSettings</c> entry replaces all four
/// fields (port-level settings do not inherit: omitted fields take their defaults).
/// </summary>
internal static class TrafficPolicyResolver
{
    public static ResolvedTrafficPolicy Resolve(UpstreamConfig service, SubsetConfig? subset, int? destinationPort)
    {
        var port = destinationPort ?? SingleServicePort(service);
        var resolved = new ResolvedTrafficPolicy { Tls = service.Tls };
        resolved = Apply(resolved, service.TrafficPolicy, port);
        resolved = Apply(resolved, subset?.TrafficPolicy, port);
        return resolved;
    }

    private static ResolvedTrafficPolicy Apply(ResolvedTrafficPolicy current, TrafficPolicyConfig? policy, int? port)
    {
        if (policy is null)
        {
            return current;
        }

        var merged = current with
        {
            LoadBalancer = policy.LoadBalancer ?? current.LoadBalancer,
            ConnectionPool = policy.ConnectionPool ?? current.ConnectionPool,
            OutlierDetection = policy.OutlierDetection ?? current.OutlierDetection,
            Tls = policy.Tls ?? current.Tls,
        };

        if (port is { } number)
        {
            foreach (var settings in policy.PortLevelSettings)
            {
                if (settings.Port == number)
                {
                    return merged with
                    {
                        LoadBalancer = settings.LoadBalancer,
                        ConnectionPool = settings.ConnectionPool,
                        OutlierDetection = settings.OutlierDetection,
                        Tls = settings.Tls,
                        PortLevelPort = number,
                    };
                }
            }
        }

        return merged;
    }

    /// <summary>A destination without a port on a service whose endpoints all serve one port uses that port.</summary>
    private static int? SingleServicePort(UpstreamConfig service)
    {
        int? port = null;
        foreach (var endpoint in service.Endpoints)
        {
            if (endpoint.ServicePort is not { } served || (port is not null && port != served))
            {
                return null;
            }

            port = served;
        }

        return port;
    }
}
