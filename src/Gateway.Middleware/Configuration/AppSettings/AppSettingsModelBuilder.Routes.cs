namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>
/// <c>Gateway:Routes:{i}</c>: an Istio VirtualService <c>http</c> rule carrying its own <c>Hosts</c> and
/// <c>Servers</c> (the VirtualService's <c>hosts</c> and <c>gateways</c>), as <c>AddRoute(name, ...)</c>.
/// The list is tried in order per host; the first rule that matches wins.
/// </summary>
internal sealed partial class AppSettingsModelBuilder
{
    private List<RouteConfig> ReadRoutes(ConfigNode? node)
    {
        var routes = new List<RouteConfig>();
        foreach (var item in List(node))
        {
            var fields = Object(item, "Name", "Hosts", "Servers", "Match", "Route", "Redirect", "DirectResponse", "Rewrite", "Headers", "Fault", "Timeout", "Retries", "Mirrors", "CorsPolicy")
                ?? ConfigObject.Empty;
            var headers = Object(fields["Headers"], "Request", "Response");
            routes.Add(new RouteConfig
            {
                // A missing name is left to the model validator: "Gateway:Routes:0: name must not be empty".
                Name = String(fields["Name"]) ?? "",
                Hosts = StringList(fields["Hosts"]),
                Servers = StringList(fields["Servers"]),
                Ordering = RouteOrdering.FirstMatch,
                Matches = ReadMatches(fields["Match"]),
                Destinations = ReadDestinations(fields["Route"]),
                Redirect = ReadRedirect(fields["Redirect"]),
                DirectResponse = ReadDirectResponse(fields["DirectResponse"]),
                Rewrite = ReadRewrite(fields["Rewrite"]),
                RequestHeaders = ReadHeaderOperations(headers?["Request"]),
                ResponseHeaders = ReadHeaderOperations(headers?["Response"]),
                Fault = ReadFault(fields["Fault"]),
                Timeout = Duration(fields["Timeout"]),
                Retries = ReadRetries(fields["Retries"]),
                Mirrors = ReadMirrors(fields["Mirrors"]),
                Cors = ReadCors(fields["CorsPolicy"]),

                // The validator writes "{Source}: {field path}", e.g. "Gateway:Routes:0: match[0].uri.regex: ...".
                Source = item.Path,
            });
        }

        return routes;
    }

    /// <summary><c>Route</c>: Istio <c>HTTPRouteDestination</c>s.</summary>
    private List<DestinationConfig> ReadDestinations(ConfigNode? node)
    {
        var items = List(node);
        var destinations = new List<DestinationConfig>(items.Count);
        foreach (var item in items)
        {
            var fields = Object(item, "Destination", "Weight", "Headers") ?? ConfigObject.Empty;

            // Istio: a lone destination takes all the traffic; among several, an unset weight is 0.
            var weight = Int(fields["Weight"]) ?? (items.Count == 1 ? 100 : 0);
            var headers = Object(fields["Headers"], "Request", "Response");
            if (ReadDestination(item, fields["Destination"], weight) is { } destination)
            {
                destinations.Add(destination with
                {
                    RequestHeaders = ReadHeaderOperations(headers?["Request"]),
                    ResponseHeaders = ReadHeaderOperations(headers?["Response"]),
                });
            }
        }

        return destinations;
    }

    /// <summary><c>Destination</c>: <c>Host</c> names an upstream; <c>Subset</c> and <c>Port</c> as Istio's.</summary>
    private DestinationConfig? ReadDestination(ConfigNode owner, ConfigNode? node, int weight)
    {
        var fields = Object(node, "Host", "Subset", "Port");
        if (fields is null)
        {
            if (node is null || node.IsEmpty)
            {
                Missing(owner, "Destination");
            }

            return null;
        }

        if (String(fields["Host"]) is not { } host)
        {
            if (Absent(fields["Host"]))
            {
                Missing(node!, "Host");
            }

            return null;
        }

        return new DestinationConfig(host, weight) { Subset = String(fields["Subset"]), Port = Int(fields["Port"]) };
    }
}
