using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Gateway.Middleware.Routing;
using Gateway.Middleware.Tls;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Middleware.Hosts;

/// <summary>
/// Selects the server and virtual host for the request's local port and <c>Host</c>/<c>:authority</c>
/// (port ignored), and pins the configuration snapshot the rest of the pipeline uses. No matching host
/// → 404 with an empty body (Istio). A server with <c>httpsRedirect</c> answers plain-text requests 301
/// with the https URL (Envoy's <c>require_tls: ALL</c>). A TLS request whose <c>:authority</c> selects
/// another server than the one its connection's SNI selected → 421 Misdirected Request (RFC 9110
/// §15.5.20), so a reused HTTP/2 connection never reaches a server it was not negotiated for.
/// </summary>
internal sealed partial class HostMatchingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GatewayConfigProvider _config;
    private readonly ILogger _logger;
    private readonly int _trustedProxyHops;

    public HostMatchingMiddleware(RequestDelegate next, GatewayConfigProvider config, ILogger<HostMatchingMiddleware> logger, IOptions<GatewayForwardingOptions> forwarding)
    {
        _next = next;
        _config = config;
        _logger = logger;
        _trustedProxyHops = forwarding.Value.TrustedProxyHops;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var feature = GatewayFeature.GetOrCreate(context, _config);
        var snapshot = feature.Snapshot;
        var port = context.Connection.LocalPort;
        var table = snapshot.Servers.ForPort(port);
        var virtualHost = table.MatchHost(context.Request.Host.Value);
        if (virtualHost is null)
        {
            RoutingLog.NoVirtualHost(_logger);
            return LocalReply.WriteAsync(context, StatusCodes.Status404NotFound, "");
        }

        var tls = snapshot.Tls;
        if (tls.RedirectsToHttps(virtualHost.ServerName) && !context.Request.IsHttps && !ForwardedOverHttps(context.Request))
        {
            TlsLog.HttpsRedirected(_logger, virtualHost.ServerName);
            return RedirectToHttps(context);
        }

        // Kestrel exposes the SNI when its HTTPS options read it (UseGatewayTls, a certificate selector or a TLS callback).
        if (context.Features.Get<ITlsHandshakeFeature>()?.HostName is { Length: > 0 } sni
            && tls.ForPort(port) is { } servers
            && !string.Equals(servers.Select(sni).ServerName, virtualHost.ServerName, StringComparison.Ordinal))
        {
            RoutingLog.Misdirected(_logger, virtualHost.ServerName, servers.Select(sni).ServerName);
            return LocalReply.WriteAsync(context, StatusCodes.Status421MisdirectedRequest, "");
        }

        feature.MatchedVirtualHost = virtualHost;
        return _next(context);
    }
}
