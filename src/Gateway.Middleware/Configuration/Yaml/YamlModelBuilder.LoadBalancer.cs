using YamlDotNet.RepresentationModel;
using static Gateway.Middleware.Configuration.Yaml.YamlNodes;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>DestinationRule <c>loadBalancer</c> → <see cref="LoadBalancerConfig"/>.</summary>
internal sealed partial class YamlModelBuilder
{
    /// <summary>Envoy's <c>minimum_ring_size</c> default, used when Istio's field is 0 or absent.</summary>
    private const int DefaultRingSize = 1024;

    private LoadBalancerConfig? ReadLoadBalancer(YamlResource rule, YamlMappingNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        var simple = String(node, "simple");
        var hash = Map(node, "consistentHash");
        if (simple is not null && hash is not null)
        {
            // lb_policy is a proto oneof.
            _diagnostics.Error(rule, path, "simple and consistentHash are mutually exclusive");
        }

        const string OneLocality = "the gateway balances over one locality (every endpoint is local)";
        WarnNotApplied(rule, node, path, "localityLbSetting", OneLocality);
        WarnNotApplied(rule, node, path, "warmupDurationSecs", "endpoints take their full share of traffic at once (no slow start)");
        WarnNotApplied(rule, node, path, "warmup", "endpoints take their full share of traffic at once (no slow start)");

        var policy = LoadBalancerPolicy.LeastRequest;
        switch (simple)
        {
            case "ROUND_ROBIN":
                policy = LoadBalancerPolicy.RoundRobin;
                break;
            case "RANDOM":
                policy = LoadBalancerPolicy.Random;
                break;
            case "LEAST_CONN":
                _diagnostics.Warning(rule, $"{path}.simple", "LEAST_CONN is deprecated: served as LEAST_REQUEST (Istio's replacement)");
                break;
            case "PASSTHROUGH":
                _diagnostics.Error(rule, $"{path}.simple", "PASSTHROUGH is not supported: it forwards to the original destination address of the connection, which a gateway does not have; use ROUND_ROBIN, LEAST_REQUEST or RANDOM");
                break;
        }

        return new LoadBalancerConfig
        {
            Policy = policy,
            ConsistentHash = hash is null ? null : ReadConsistentHash(rule, hash, $"{path}.consistentHash"),
        };
    }

    private ConsistentHashConfig? ReadConsistentHash(YamlResource rule, YamlMappingNode node, string path)
    {
        var keys = new List<string>(1);
        var header = String(node, "httpHeaderName");
        var cookie = Map(node, "httpCookie");
        var sourceIp = Bool(node, "useSourceIp") == true;
        var query = String(node, "httpQueryParameterName");
        AddIf(keys, header is not null, "httpHeaderName");
        AddIf(keys, cookie is not null, "httpCookie");
        AddIf(keys, sourceIp, "useSourceIp");
        AddIf(keys, query is not null, "httpQueryParameterName");
        if (keys.Count != 1)
        {
            // hash_key is a proto oneof: exactly one key says what requests are hashed on.
            _diagnostics.Error(rule, path, keys.Count == 0
                ? "one hash key is required: httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName"
                : $"only one hash key may be set, got {string.Join(", ", keys)}");
            return null;
        }

        HashCookieConfig? hashCookie = null;
        if (cookie is not null)
        {
            // An empty name is reported by the model validator, as for every source.
            var name = String(cookie, "name");
            if (String(cookie, "ttl") is null)
            {
                // Istio's validation: "ttl required for HttpCookie"; 0s generates a session cookie.
                _diagnostics.Error(rule, $"{path}.httpCookie.ttl", "required (0s generates a session cookie)");
            }

            WarnNotApplied(rule, cookie, $"{path}.httpCookie", "attributes", "the generated cookie carries Path and Max-Age only");
            hashCookie = new HashCookieConfig(name ?? "") { Path = String(cookie, "path") is { Length: > 0 } cookiePath ? cookiePath : null, Ttl = Duration(cookie, "ttl") };
        }

        return new ConsistentHashConfig
        {
            HttpHeaderName = header,
            HttpCookie = hashCookie,
            UseSourceIp = sourceIp,
            HttpQueryParameterName = query,
            MinimumRingSize = ReadRingSize(rule, node, path),
        };
    }

    /// <summary><c>ringHash.minimumRingSize</c>, else the deprecated <c>minimumRingSize</c>; <c>maglev</c> is served as a ring hash.</summary>
    private int ReadRingSize(YamlResource rule, YamlMappingNode node, string path)
    {
        var ringHash = Map(node, "ringHash");
        if (Has(node, "maglev"))
        {
            if (ringHash is not null)
            {
                // hash_algorithm is a proto oneof.
                _diagnostics.Error(rule, path, "ringHash and maglev are mutually exclusive");
            }
            else
            {
                _diagnostics.Warning(rule, $"{path}.maglev", "served as a ring hash (the gateway implements one consistent hash); tableSize is not applied");
            }
        }

        long? size = null;
        if (ringHash is not null)
        {
            size = Long(ringHash, "minimumRingSize");
            if (Has(node, "minimumRingSize"))
            {
                _diagnostics.Warning(rule, $"{path}.minimumRingSize", "ignored: ringHash.minimumRingSize is set (the deprecated field yields to it, as in Istio)");
            }
        }
        else if (Long(node, "minimumRingSize") is { } deprecated)
        {
            _diagnostics.Warning(rule, $"{path}.minimumRingSize", "deprecated: use ringHash.minimumRingSize");
            size = deprecated;
        }

        return size is null or 0 ? DefaultRingSize : (int)Math.Clamp(size.Value, int.MinValue, int.MaxValue);
    }

    private static void AddIf(List<string> list, bool condition, string value)
    {
        if (condition)
        {
            list.Add(value);
        }
    }
}
