using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Gateway.Middleware.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Hosts;

/// <summary>
/// Selects the virtual host for the request's <c>Host</c>/<c>:authority</c> (port ignored) and pins the
/// configuration snapshot the rest of the pipeline uses. No matching host → 404 with an empty body (Istio).
/// </summary>
internal sealed class HostMatchingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GatewayConfigProvider _config;
    private readonly ILogger _logger;

    public HostMatchingMiddleware(RequestDelegate next, GatewayConfigProvider config, ILogger<HostMatchingMiddleware> logger)
    {
        _next = next;
        _config = config;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var feature = GatewayFeature.GetOrCreate(context, _config);
        var virtualHost = feature.Snapshot.Routes.MatchHost(context.Request.Host.Value);
        if (virtualHost is null)
        {
            RoutingLog.NoVirtualHost(_logger);
            return LocalReply.WriteAsync(context, StatusCodes.Status404NotFound, "");
        }

        feature.MatchedVirtualHost = virtualHost;
        return _next(context);
    }
}
