using System.Collections.Frozen;
using Gateway.Middleware.Hosts;
using Gateway.Middleware.Routing;

namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigCompiler
{
    /// <summary>The server every host on every port belongs to when the configuration declares none.</summary>
    internal static readonly ServerConfig ImplicitServer = new() { Name = "default", Hosts = ["*"], Source = "implicit server" };

    private static ServerTable CompileServers(GatewayConfig config, List<CompiledRule> rules)
    {
        var servers = config.Servers.Count == 0 ? [ImplicitServer] : config.Servers;
        var anyPortServers = new List<ServerConfig>();
        var ports = new SortedSet<int>();
        foreach (var server in servers)
        {
            if (server.Port is { } port)
            {
                ports.Add(port);
            }
            else
            {
                anyPortServers.Add(server);
            }
        }

        var byPort = new Dictionary<int, RouteTable>();
        foreach (var port in ports)
        {
            var onPort = new List<ServerConfig>();
            foreach (var server in servers)
            {
                if (server.Port == port || server.Port is null)
                {
                    onPort.Add(server);
                }
            }

            byPort[port] = BuildTable(onPort, rules);
        }

        return new ServerTable(byPort.ToFrozenDictionary(), BuildTable(anyPortServers, rules));
    }

    /// <summary>One route table for the servers sharing a port: a virtual host per effective host pattern.</summary>
    private static RouteTable BuildTable(List<ServerConfig> servers, List<CompiledRule> rules)
    {
        var hosts = new Dictionary<HostPattern, (string Server, List<Route> FirstMatch, List<Route> Precedence)>();
        var order = new List<HostPattern>();
        foreach (var server in servers)
        {
            foreach (var rule in rules)
            {
                if (rule.Config.Servers.Count > 0 && !Contains(rule.Config.Servers, server.Name))
                {
                    continue;
                }

                var ruleHosts = rule.Config.Hosts.Count == 0 ? ["*"] : rule.Config.Hosts;
                foreach (var ruleHostText in ruleHosts)
                {
                    _ = HostPattern.TryParse(ruleHostText, out var ruleHost, out _);
                    foreach (var serverHostText in server.Hosts)
                    {
                        _ = HostPattern.TryParse(serverHostText, out var serverHost, out _);
                        if (!HostPattern.TryIntersect(ruleHost, serverHost, out var effective))
                        {
                            continue;
                        }

                        if (!hosts.TryGetValue(effective, out var entry))
                        {
                            // The first server to claim a host on a port owns it (validation reports overlaps).
                            hosts[effective] = entry = (server.Name, [], []);
                            order.Add(effective);
                        }
                        else if (entry.Server != server.Name)
                        {
                            continue;
                        }

                        var target = rule.Config.Ordering == RouteOrdering.GatewayApiPrecedence ? entry.Precedence : entry.FirstMatch;
                        foreach (var route in rule.Routes)
                        {
                            if (!target.Contains(route))
                            {
                                target.Add(route);
                            }
                        }
                    }
                }
            }
        }

        var exact = new Dictionary<string, VirtualHost>(StringComparer.OrdinalIgnoreCase);
        var suffixes = new List<(string, VirtualHost)>();
        VirtualHost? any = null;
        foreach (var host in order)
        {
            var (server, firstMatch, precedence) = hosts[host];
            precedence.Sort(GatewayApiPrecedence.Compare);
            var virtualHost = new VirtualHost(host.ToString(), server, [.. firstMatch, .. precedence]);
            switch (host.Kind)
            {
                case HostPatternKind.Exact:
                    exact[host.Value] = virtualHost;
                    break;
                case HostPatternKind.Suffix:
                    suffixes.Add((host.Value, virtualHost));
                    break;
                default:
                    any = virtualHost;
                    break;
            }
        }

        // The longer wildcard is the more specific one.
        suffixes.Sort(static (a, b) => b.Item1.Length.CompareTo(a.Item1.Length));
        return new RouteTable(exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), [.. suffixes], any);
    }

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        foreach (var candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
