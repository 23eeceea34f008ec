using System.Globalization;
using System.Text;
using Gateway.Middleware.Authorization;
using Gateway.Middleware.Features;
using Gateway.Middleware.Routing.Actions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Middleware.Testing;

public sealed partial class GatewayRoutingProbe
{
    /// <summary>A <c>GET</c> of <paramref name="url"/>; see <see cref="Route"/>.</summary>
    /// <param name="url"><c>http://host[:port]/path?query</c>; the scheme may be left out (http).</param>
    /// <param name="headers">Request headers.</param>
    /// <returns>The decision.</returns>
    public RoutingDecision Get(string url, params (string Name, string Value)[] headers) => Route("GET", url, headers);

    /// <summary>
    /// Decides what the gateway does with <paramref name="method"/> <paramref name="url"/>: normalizes the path,
    /// selects the virtual host by the URL's host on the gateway port, and the first matching rule.
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="url"><c>http://host[:port]/path?query</c> (the path is taken as sent: escapes, <c>..</c> and <c>//</c> kept for normalization); the scheme may be left out (http).</param>
    /// <param name="headers">Request headers.</param>
    /// <returns>The decision.</returns>
    public RoutingDecision Route(string method, string url, params (string Name, string Value)[] headers)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentNullException.ThrowIfNull(headers);
        var (scheme, authority, target) = Split(url);
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = method;
        request.Scheme = scheme;
        request.Host = new HostString(authority);
        var description = Describe(method, scheme, authority, target, headers);
        var query = target.IndexOf('?', StringComparison.Ordinal);
        try
        {
            request.Path = PathString.FromUriComponent(query < 0 ? target : target[..query]);
        }
        catch (InvalidOperationException)
        {
            // A NUL in the path: Kestrel answers 400 before any middleware runs.
            return new RoutingDecision(description, RoutingOutcome.BadRequest, StatusCodes.Status400BadRequest);
        }

        request.QueryString = new QueryString(query < 0 ? "" : target[query..]);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        context.Connection.LocalPort = request.Host.Port ?? _port ?? (scheme == "https" ? 443 : 80);
        foreach (var (name, value) in headers)
        {
            request.Headers.Append(name, value);
        }

        var feature = new GatewayFeature(_snapshot);
        context.Features.Set<IGatewayFeature>(feature);
        if (!PathNormalizationMiddleware.Apply(context, feature, _normalization))
        {
            return new RoutingDecision(description, RoutingOutcome.BadRequest, StatusCodes.Status400BadRequest);
        }

        var normalized = request.Path.Value ?? "/";
        var virtualHost = _snapshot.Servers.ForPort(context.Connection.LocalPort).MatchHost(request.Host.Value);
        var route = virtualHost?.Match(context);
        if (virtualHost is null || route is null)
        {
            return new RoutingDecision(description, RoutingOutcome.NotFound, StatusCodes.Status404NotFound) { VirtualHost = virtualHost?.Name, NormalizedPath = normalized };
        }

        var action = route.Action;
        if (action.Redirect is { } redirect)
        {
            var location = redirect.BuildLocation(request, scheme, ForwardingActions.MatchedPath(context, route), ForwardingActions.IsGatewayApi(action));
            return new RoutingDecision(description, RoutingOutcome.Redirect, redirect.Code) { Location = location, RouteName = route.Name, RouteSource = SourceOf(route), VirtualHost = virtualHost.Name, NormalizedPath = normalized };
        }

        if (action.DirectResponse is { } direct)
        {
            return new RoutingDecision(description, RoutingOutcome.DirectResponse, direct.Status) { Body = direct.BodyText, RouteName = route.Name, RouteSource = SourceOf(route), VirtualHost = virtualHost.Name, NormalizedPath = normalized };
        }

        var destinations = new List<RoutedDestination>(action.Destinations.Length);
        foreach (var destination in action.Destinations)
        {
            var cluster = destination.Cluster;
            destinations.Add(new RoutedDestination(cluster.ServiceName, cluster.Subset, cluster.Port, destination.Weight, cluster.LocalReplyStatus, cluster.Endpoints.Length));
        }

        return new RoutingDecision(description, RoutingOutcome.Forward, null) { Destinations = destinations, RouteName = route.Name, RouteSource = SourceOf(route), VirtualHost = virtualHost.Name, NormalizedPath = normalized };
    }

    /// <summary>Where the rule was declared, with its field path when the configuration has it (<c>file#2 VirtualService ns/name: spec.http[1]</c>).</summary>
    private string SourceOf(Routing.Route route)
    {
        foreach (var config in _snapshot.Config?.Routes ?? [])
        {
            if (config.Name == route.Name && config.Source == route.Action.Source && config.SourcePath.Length > 0)
            {
                return $"{config.Source}: {config.SourcePath}";
            }
        }

        return route.Action.Source;
    }

    /// <summary>Splits without <see cref="Uri"/>, which would resolve dot-segments and escapes the gateway must see.</summary>
    private static (string Scheme, string Authority, string Target) Split(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "http" : url[..schemeEnd].ToLowerInvariant();
        var rest = schemeEnd < 0 ? url : url[(schemeEnd + 3)..];
        var pathStart = rest.IndexOfAny(['/', '?']);
        var authority = pathStart < 0 ? rest : rest[..pathStart];
        var target = pathStart < 0 ? "/" : rest[pathStart..];
        if (authority.Length == 0)
        {
            throw new ArgumentException($"'{url}' has no host: write http://host/path.", nameof(url));
        }

        return (scheme, authority, target[0] == '?' ? "/" + target : target);
    }

    private static string Describe(string method, string scheme, string authority, string target, (string Name, string Value)[] headers)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{method} {scheme}://{authority}{target}");
        if (headers.Length > 0)
        {
            text.Append(" [");
            for (var i = 0; i < headers.Length; i++)
            {
                text.Append(i == 0 ? "" : ", ").Append(headers[i].Name).Append(": ").Append(headers[i].Value);
            }

            text.Append(']');
        }

        return text.ToString();
    }
}
