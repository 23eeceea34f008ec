using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Middleware.Authorization;

/// <summary>
/// Enforces the snapshot's authorization policies (Istio AuthorizationPolicy on the ingress gateway) after
/// routing and before forwarding. A denied request is answered 403 <c>RBAC: access denied</c> (gRPC:
/// PERMISSION_DENIED) and never reaches an upstream.
/// </summary>
internal sealed class RbacMiddleware
{
    /// <summary>Envoy RBAC filter's local reply body.</summary>
    public const string DeniedBody = "RBAC: access denied";

    private readonly RequestDelegate _next;
    private readonly GatewayConfigProvider _config;
    private readonly int _trustedProxyHops;
    private readonly ILogger _logger;
    private readonly Diagnostics.GatewayMetrics? _metrics;

    public RbacMiddleware(RequestDelegate next, GatewayConfigProvider config, IOptions<GatewayForwardingOptions> forwarding, ILogger<RbacMiddleware> logger, Diagnostics.GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        _next = next;
        _config = config;
        _trustedProxyHops = forwarding.Value.TrustedProxyHops;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var feature = GatewayFeature.GetOrCreate(context, _config);
        var engine = feature.Snapshot.Authorization;
        if (engine.IsEmpty)
        {
            return _next(context);
        }

        var request = new RbacRequest(context, feature.Principal, _trustedProxyHops);
        if (engine.HasAuditPolicies && engine.MatchAudit(request) is { } audit && _logger.IsEnabled(LogLevel.Information))
        {
            RbacLog.Audit(_logger, audit.Name, context.Request.Method, context.Request.Path.Value ?? "");
        }

        if (engine.IsAllowed(request, out var deciding))
        {
            return _next(context);
        }

        if (deciding is not null)
        {
            RbacLog.Denied(_logger, deciding.Name);
        }
        else
        {
            RbacLog.NotAllowed(_logger);
        }

        _metrics?.AuthorizationDenied(deciding?.Name);

        return LocalReply.WriteAsync(context, StatusCodes.Status403Forbidden, DeniedBody);
    }
}
