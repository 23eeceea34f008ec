namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>
/// <c>Gateway:Upstreams:{name}:TrafficPolicy</c> and <c>...:Subsets:{name}:TrafficPolicy</c>: Istio's
/// DestinationRule <c>trafficPolicy</c> with .NET-style names (<c>LoadBalancer:Simple</c>,
/// <c>ConnectionPool:Tcp:MaxConnections</c>, <c>OutlierDetection:Consecutive5xxErrors</c>, <c>Tls:Mode</c>,
/// <c>PortLevelSettings:0:Port</c>). Values mean what they mean in Istio (a 0 limit is "not set"); ranges
/// are checked by the model validator, whose messages start with the owner's section path.
/// </summary>
internal sealed partial class AppSettingsModelBuilder
{
    private TrafficPolicyConfig? ReadTrafficPolicy(ConfigNode? node)
    {
        if (Object(node, "LoadBalancer", "ConnectionPool", "OutlierDetection", "Tls", "PortLevelSettings") is not { } fields)
        {
            return null;
        }

        var ports = new List<PortTrafficPolicyConfig>();
        foreach (var item in List(fields["PortLevelSettings"]))
        {
            if (Object(item, "Port", "LoadBalancer", "ConnectionPool", "OutlierDetection", "Tls") is not { } port)
            {
                continue;
            }

            if (PortNumber(port["Port"]) is not { } number)
            {
                if (Absent(port["Port"]))
                {
                    Missing(item, "Port");
                }

                continue;
            }

            ports.Add(new PortTrafficPolicyConfig
            {
                Port = number,
                LoadBalancer = ReadLoadBalancer(port["LoadBalancer"]),
                ConnectionPool = ReadConnectionPool(port["ConnectionPool"]),
                OutlierDetection = ReadOutlierDetection(port["OutlierDetection"]),
                Tls = ReadClientTls(port["Tls"]),
            });
        }

        return new TrafficPolicyConfig
        {
            LoadBalancer = ReadLoadBalancer(fields["LoadBalancer"]),
            ConnectionPool = ReadConnectionPool(fields["ConnectionPool"]),
            OutlierDetection = ReadOutlierDetection(fields["OutlierDetection"]),
            Tls = ReadClientTls(fields["Tls"]),
            PortLevelSettings = ports,

            // Messages read "Gateway:Upstreams:reviews: trafficPolicy.outlierDetection...", as route messages do.
            Source = node!.Path[..^(node.Key.Length + 1)],
            SourcePath = "trafficPolicy",
        };
    }

    /// <summary><c>"Port": 9080</c>, or Istio's <c>"Port": { "Number": 9080 }</c>.</summary>
    private int? PortNumber(ConfigNode? node)
    {
        if (node is { Children.Count: > 0 })
        {
            var fields = Object(node, "Number");
            return fields is null ? null : Int(fields["Number"]);
        }

        return Int(node);
    }

    private LoadBalancerConfig? ReadLoadBalancer(ConfigNode? node)
    {
        if (Object(node, "Simple", "ConsistentHash") is not { } fields)
        {
            return null;
        }

        var simple = OneOf(fields["Simple"], "UNSPECIFIED", "ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "RoundRobin", "LeastRequest", "Random");
        if (simple == "PASSTHROUGH")
        {
            Error(fields["Simple"]!, "PASSTHROUGH is not supported: it forwards to the original destination address of the connection, which a gateway does not have; use ROUND_ROBIN, LEAST_REQUEST or RANDOM");
        }

        if (simple is not null && !Absent(fields["ConsistentHash"]))
        {
            Error(node!, "Simple and ConsistentHash are mutually exclusive");
        }

        return new LoadBalancerConfig
        {
            Policy = simple switch
            {
                "ROUND_ROBIN" or "RoundRobin" => LoadBalancerPolicy.RoundRobin,
                "RANDOM" or "Random" => LoadBalancerPolicy.Random,
                _ => LoadBalancerPolicy.LeastRequest,
            },
            ConsistentHash = ReadConsistentHash(fields["ConsistentHash"]),
        };
    }

    private ConsistentHashConfig? ReadConsistentHash(ConfigNode? node)
    {
        if (Object(node, "HttpHeaderName", "HttpCookie", "UseSourceIp", "HttpQueryParameterName", "RingHash", "MinimumRingSize") is not { } fields)
        {
            return null;
        }

        HashCookieConfig? cookie = null;
        if (Object(fields["HttpCookie"], "Name", "Path", "Ttl") is { } cookieFields)
        {
            cookie = new HashCookieConfig(String(cookieFields["Name"]) ?? "") { Path = String(cookieFields["Path"]), Ttl = Duration(cookieFields["Ttl"]) };
        }

        var ringHash = Object(fields["RingHash"], "MinimumRingSize");
        if (ringHash is not null && !Absent(fields["MinimumRingSize"]))
        {
            Error(node!, "set RingHash:MinimumRingSize or MinimumRingSize, not both");
        }

        var ringSize = Int(ringHash?["MinimumRingSize"]) ?? Int(fields["MinimumRingSize"]);
        return new ConsistentHashConfig
        {
            HttpHeaderName = String(fields["HttpHeaderName"]),
            HttpCookie = cookie,
            UseSourceIp = Bool(fields["UseSourceIp"]) ?? false,
            HttpQueryParameterName = String(fields["HttpQueryParameterName"]),
            MinimumRingSize = ringSize is null or 0 ? new ConsistentHashConfig().MinimumRingSize : ringSize.Value,
        };
    }

    private ConnectionPoolConfig? ReadConnectionPool(ConfigNode? node)
    {
        if (Object(node, "Tcp", "Http") is not { } fields)
        {
            return null;
        }

        var tcp = Object(fields["Tcp"], "MaxConnections", "ConnectTimeout", "MaxConnectionDuration", "IdleTimeout") ?? ConfigObject.Empty;
        var http = Object(fields["Http"], "Http1MaxPendingRequests", "Http2MaxRequests", "MaxRequestsPerConnection", "MaxRetries", "IdleTimeout") ?? ConfigObject.Empty;
        if (!Absent(tcp["IdleTimeout"]) && !Absent(http["IdleTimeout"]))
        {
            Error(node!, "set Http:IdleTimeout or Tcp:IdleTimeout, not both (the gateway has one idle timeout per upstream connection)");
        }

        return new ConnectionPoolConfig
        {
            MaxConnections = Limit(tcp["MaxConnections"]),
            ConnectTimeout = Duration(tcp["ConnectTimeout"]),
            MaxConnectionDuration = Duration(tcp["MaxConnectionDuration"]),
            IdleTimeout = Duration(http["IdleTimeout"]) ?? Duration(tcp["IdleTimeout"]),
            Http1MaxPendingRequests = Limit(http["Http1MaxPendingRequests"]),
            Http2MaxRequests = Limit(http["Http2MaxRequests"]),
            MaxRequestsPerConnection = Limit(http["MaxRequestsPerConnection"]),
            MaxRetries = Limit(http["MaxRetries"]),
        };
    }

    private OutlierDetectionConfig? ReadOutlierDetection(ConfigNode? node)
    {
        if (Object(node, "Consecutive5xxErrors", "ConsecutiveGatewayErrors", "Interval", "BaseEjectionTime", "MaxEjectionPercent", "MinHealthPercent") is not { } fields)
        {
            return null;
        }

        var defaults = new OutlierDetectionConfig();
        var maxEjection = Int(fields["MaxEjectionPercent"]);
        return new OutlierDetectionConfig
        {
            Consecutive5xxErrors = Int(fields["Consecutive5xxErrors"]) ?? defaults.Consecutive5xxErrors,
            ConsecutiveGatewayErrors = Int(fields["ConsecutiveGatewayErrors"]) ?? defaults.ConsecutiveGatewayErrors,
            Interval = Duration(fields["Interval"]) ?? defaults.Interval,
            BaseEjectionTime = Duration(fields["BaseEjectionTime"]) ?? defaults.BaseEjectionTime,

            // As in Istio, 0 is "not set": Envoy's default (10%) applies.
            MaxEjectionPercent = maxEjection is null or 0 ? defaults.MaxEjectionPercent : maxEjection.Value,
            MinHealthPercent = Int(fields["MinHealthPercent"]) ?? defaults.MinHealthPercent,
        };
    }

    /// <summary>A connection pool limit; 0 is "not set" (unlimited), as in Istio.</summary>
    private int? Limit(ConfigNode? node) => Int(node) is { } value && value != 0 ? value : null;
}
