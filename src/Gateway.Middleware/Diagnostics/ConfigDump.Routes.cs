using System.Text.Json.Nodes;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Routing;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Diagnostics;

internal static partial class ConfigDump
{
    /// <summary>One route table per port (<c>"*"</c>: servers without a port), virtual hosts and their routes in match order.</summary>
    private static JsonArray Routes(GatewaySnapshot snapshot, GatewayConfig? config, Dictionary<string, UpstreamCluster> clusters)
    {
        var declared = new Dictionary<(string, string), RouteConfig>();
        if (config is not null)
        {
            foreach (var route in config.Routes)
            {
                declared.TryAdd((route.Name, route.Source), route);
            }
        }

        var tables = new JsonArray();
        foreach (var (port, table) in snapshot.Servers.Ports.OrderBy(p => p.Key))
        {
            tables.Add(RouteTableNode(port.ToString(System.Globalization.CultureInfo.InvariantCulture), table, declared, clusters));
        }

        if (snapshot.Servers.AnyPort.VirtualHosts.Length > 0)
        {
            tables.Add(RouteTableNode("*", snapshot.Servers.AnyPort, declared, clusters));
        }

        return tables;
    }

    private static JsonObject RouteTableNode(string port, RouteTable table, Dictionary<(string, string), RouteConfig> declared, Dictionary<string, UpstreamCluster> clusters)
    {
        var hosts = new JsonArray();
        foreach (var virtualHost in table.VirtualHosts)
        {
            var routes = new JsonArray();
            foreach (var route in virtualHost.Routes)
            {
                routes.Add(RouteNode(route, declared.GetValueOrDefault((route.Name, route.Action.Source)), clusters));
            }

            hosts.Add(new JsonObject { ["name"] = virtualHost.Name, ["server"] = virtualHost.ServerName, ["routes"] = routes });
        }

        return new JsonObject { ["port"] = port, ["virtualHosts"] = hosts };
    }

    private static JsonObject RouteNode(Route route, RouteConfig? config, Dictionary<string, UpstreamCluster> clusters)
    {
        var action = route.Action;
        var matches = new JsonArray();
        foreach (var match in route.MatchList)
        {
            matches.Add(MatchNode(match.Config));
        }

        var destinations = new JsonArray();
        foreach (var destination in action.Destinations)
        {
            clusters.TryAdd(destination.Cluster.Name, destination.Cluster);
            destinations.Add(new JsonObject
            {
                ["cluster"] = destination.Cluster.Name,
                ["host"] = destination.Cluster.ServiceName,
                ["subset"] = destination.Cluster.Subset,
                ["port"] = destination.Cluster.Port,
                ["weight"] = destination.Weight,
            });
        }

        var mirrors = new JsonArray();
        foreach (var mirror in action.Mirrors)
        {
            clusters.TryAdd(mirror.Cluster.Name, mirror.Cluster);
            mirrors.Add(new JsonObject { ["cluster"] = mirror.Cluster.Name, ["percentage"] = mirror.Percentage });
        }

        var retry = action.Retry.Config;
        return new JsonObject
        {
            ["name"] = route.Name,
            ["ordering"] = action.Ordering == RouteOrdering.GatewayApiPrecedence ? "gatewayApiPrecedence" : "firstMatch",
            ["match"] = matches,
            ["destinations"] = destinations,
            ["redirect"] = ToNode(config?.Redirect),
            ["directResponse"] = config?.DirectResponse is { } direct ? new JsonObject { ["status"] = direct.Status } : null,
            ["rewrite"] = ToNode(config?.Rewrite),
            ["fault"] = ToNode(config?.Fault),
            ["timeout"] = Duration(action.Timeout),
            ["retries"] = new JsonObject
            {
                ["attempts"] = action.Retry.MaxRetries,
                ["perTryTimeout"] = Duration(retry.PerTryTimeout),
                ["retryOn"] = Strings(retry.RetryOn),
            },
            ["mirrors"] = mirrors.Count == 0 ? null : mirrors,
            ["cors"] = action.Cors is null ? null : true,
            ["source"] = action.Source,
            ["sourcePath"] = string.IsNullOrEmpty(config?.SourcePath) ? null : config.SourcePath,
        };
    }

    private static JsonObject MatchNode(RouteMatchConfig match)
    {
        return new JsonObject
        {
            ["uri"] = StringMatch(match.Path),
            ["ignoreUriCase"] = match.IgnoreUriCase ? true : null,
            ["scheme"] = StringMatch(match.Scheme),
            ["method"] = StringMatch(match.Method),
            ["authority"] = StringMatch(match.Authority),
            ["headers"] = NamedMatches(match.Headers),
            ["withoutHeaders"] = NamedMatches(match.WithoutHeaders),
            ["queryParams"] = NamedMatches(match.QueryParams),
            ["port"] = match.Port,
        };
    }

    private static JsonObject? StringMatch(StringMatchConfig? match)
        => match is null ? null : new JsonObject { [match.Kind switch
        {
            StringMatchKind.Exact => "exact",
            StringMatchKind.Prefix => "prefix",
            StringMatchKind.SegmentPrefix => "pathPrefix",
            _ => "regex",
        }] = match.Value };

    private static JsonObject? NamedMatches(IReadOnlyList<NamedMatchConfig> matches)
    {
        if (matches.Count == 0)
        {
            return null;
        }

        var node = new JsonObject();
        foreach (var match in matches)
        {
            // A name without a value matcher tests presence only.
            node[match.Name] = StringMatch(match.Match) ?? new JsonObject();
        }

        return node;
    }
}
