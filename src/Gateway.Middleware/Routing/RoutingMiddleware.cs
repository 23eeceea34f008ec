using Gateway.Middleware.Authorization;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Middleware.Routing;

/// <summary>
/// Picks the first rule of the matched virtual host that matches the request, and its destination.
/// No rule → 404 with an empty body (Istio). Runs path normalization and host matching itself when used
/// without them.
/// </summary>
internal sealed class RoutingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GatewayConfigProvider _config;
    private readonly ILogger _logger;
    private readonly PathNormalization _pathNormalization;

    public RoutingMiddleware(RequestDelegate next, GatewayConfigProvider config, ILogger<RoutingMiddleware> logger, IOptions<GatewayPathOptions> paths)
    {
        _next = next;
        _config = config;
        _logger = logger;
        _pathNormalization = paths.Value.Normalization;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var feature = GatewayFeature.GetOrCreate(context, _config);

        // Used without UseGatewayPathNormalization(), routing still never matches an unnormalized path.
        if (!feature.PathNormalized && !PathNormalizationMiddleware.Apply(context, feature, _pathNormalization))
        {
            return PathNormalizationMiddleware.RejectAsync(context);
        }

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
