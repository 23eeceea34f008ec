using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Routing;

/// <summary>
/// Picks the first rule of the matched virtual host that matches the request, and its destination.
/// No rule → 404 with an empty body (Istio). Runs host matching itself when used without it.
/// </summary>
internal sealed class RoutingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GatewayConfigProvider _config;
    private readonly ILogger _logger;

    public RoutingMiddleware(RequestDelegate next, GatewayConfigProvider config, ILogger<RoutingMiddleware> logger)
    {
        _next = next;
        _config = config;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var feature = GatewayFeature.GetOrCreate(context, _config);
        var virtualHost = feature.MatchedVirtualHost
            ??= feature.Snapshot.Servers.ForPort(context.Connection.LocalPort).MatchHost(context.Request.Host.Value);
        var route = virtualHost?.Match(context);
        if (route is null)
        {
            RoutingLog.NoRoute(_logger);
            return LocalReply.WriteAsync(context, StatusCodes.Status404NotFound, "");
        }

        feature.Route = route;
        var destination = route.PickDestination();
        feature.Destination = destination;
        feature.Cluster = destination?.Cluster;

        // Envoy's CORS filter runs after route selection and before the router: an allowed preflight is
        // answered here, nothing is forwarded (docs/cors.md).
        if (route.Action.Cors is { } cors && Cors.CorsHandler.Handle(context, cors))
        {
            return Task.CompletedTask;
        }

        return _next(context);
    }
}
