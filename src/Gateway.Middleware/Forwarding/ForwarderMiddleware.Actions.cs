using Gateway.Middleware.Features;
using Gateway.Middleware.Routing;
using Gateway.Middleware.Routing.Actions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// Rule actions answered before any upstream is chosen, in Envoy's filter order: the fault filter (delay, then
/// abort) runs before the router, which answers a redirect or a direct response itself.
/// </summary>
internal sealed partial class ForwarderMiddleware
{
    private Task InvokeLocalActionsAsync(HttpContext context, GatewayFeature feature, Route route)
    {
        if (route.Action.Fault is { } fault && fault.ShouldDelay())
        {
            return DelayThenContinueAsync(context, feature, route, fault.Delay!.Value);
        }

        return AnswerOrForwardAsync(context, feature, route);
    }

    private async Task DelayThenContinueAsync(HttpContext context, GatewayFeature feature, Route route, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client left while delayed: nothing is forwarded and nobody is listening (Envoy logs DC).
            return;
        }

        await AnswerOrForwardAsync(context, feature, route);
    }

    private Task AnswerOrForwardAsync(HttpContext context, GatewayFeature feature, Route route)
    {
        var action = route.Action;
        if (action.Fault is { } fault && fault.ShouldAbort())
        {
            // A local reply: text/plain for HTTP, grpc-status mapped from the HTTP status for gRPC (Envoy).
            return LocalReply.WriteAsync(context, fault.AbortStatus!.Value, FaultAction.AbortText);
        }

        if (action.Redirect is { } redirect)
        {
            var response = context.Response;
            response.StatusCode = redirect.Code;
            response.Headers.Location = redirect.BuildLocation(
                context.Request, ClientScheme(context.Request), ForwardingActions.MatchedPath(context, route), ForwardingActions.IsGatewayApi(action));
            ForwardingActions.ApplyToResponse(response.Headers, action, null);
            return Task.CompletedTask;
        }

        if (action.DirectResponse is { } direct)
        {
            return WriteDirectResponseAsync(context, action, direct);
        }

        return ForwardToClusterAsync(context, feature);
    }

    private static Task WriteDirectResponseAsync(HttpContext context, RouteAction action, DirectResponseAction direct)
    {
        if (LocalReply.IsGrpc(context.Request))
        {
            // Envoy sends a direct response as a local reply, which takes the gRPC form for gRPC requests.
            ForwardingActions.ApplyToResponse(context.Response.Headers, action, null);
            return LocalReply.WriteAsync(context, direct.Status, direct.BodyText);
        }

        var response = context.Response;
        response.StatusCode = direct.Status;
        if (direct.Body is not { Length: > 0 } body)
        {
            ForwardingActions.ApplyToResponse(response.Headers, action, null);
            return Task.CompletedTask;
        }

        response.ContentType = "text/plain";
        response.ContentLength = body.Length;
        ForwardingActions.ApplyToResponse(response.Headers, action, null);
        return response.Body.WriteAsync(body, 0, body.Length);
    }

    /// <summary>The scheme the client used: the connection's, or the trusted <c>X-Forwarded-Proto</c> behind proxies (as Envoy).</summary>
    private string ClientScheme(HttpRequest request)
    {
        if (_options.TrustedProxyHops > 0)
        {
            var forwarded = request.Headers[ForwardedHeaders.XForwardedProto];
            if (!StringValues.IsNullOrEmpty(forwarded))
            {
                var last = forwarded[forwarded.Count - 1].AsSpan();
                var comma = last.LastIndexOf(',');
                var scheme = (comma < 0 ? last : last[(comma + 1)..]).Trim();
                if (scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
                {
                    return "https";
                }

                if (scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
                {
                    return "http";
                }
            }
        }

        return request.Scheme;
    }
}
