using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Gateway.Middleware.Routing;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Hosts;

/// <summary>
/// Selects the server and virtual host for the request's local port and <c>Host</c>/<c>:authority</c>
/// (port ignored), and pins the configuration snapshot the rest of the pipeline uses. No matching host
/// → 404 with an empty body (Istio). A TLS request whose SNI selects another server than its
/// <c>:authority</c> → 421 Misdirected Request (RFC 9110 §15.5.20), so a reused HTTP/2 connection never
/// reaches a server it was not negotiated for.
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
        var table = feature.Snapshot.Servers.ForPort(context.Connection.LocalPort);
        var virtualHost = table.MatchHost(context.Request.Host.Value);
        if (virtualHost is null)
        {
            RoutingLog.NoVirtualHost(_logger);
            return LocalReply.WriteAsync(context, StatusCodes.Status404NotFound, "");
        }

        // Kestrel exposes the SNI when its HTTPS options read it (a certificate selector or TLS callback).
        if (context.Features.Get<ITlsHandshakeFeature>()?.HostName is { Length: > 0 } sni
            && table.MatchHost(sni) is { } sniHost
            && !string.Equals(sniHost.ServerName, virtualHost.ServerName, StringComparison.Ordinal))
        {
            RoutingLog.Misdirected(_logger, virtualHost.ServerName, sniHost.ServerName);
            return LocalReply.WriteAsync(context, StatusCodes.Status421MisdirectedRequest, "");
        }

        feature.MatchedVirtualHost = virtualHost;
        return _next(context);
    }
}
