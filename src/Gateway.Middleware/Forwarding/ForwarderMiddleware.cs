using Gateway.Middleware.Features;
using Gateway.Middleware.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// The terminal stage: sends the request to an endpoint of the chosen upstream and streams the answer
/// back. Never calls the next middleware.
/// </summary>
internal sealed partial class ForwarderMiddleware
{
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly GatewayForwardingOptions _options;

    public ForwarderMiddleware(RequestDelegate next, ILogger<ForwarderMiddleware> logger, TimeProvider timeProvider, IOptions<GatewayForwardingOptions> options)
    {
        _ = next;
        _logger = logger;
        _timeProvider = timeProvider;
        _options = options.Value;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IGatewayFeature>() is not GatewayFeature { Route: { } route } feature)
        {
            // Nothing routed this request (forwarding used without routing): Istio's "no route" answer.
            return LocalReply.WriteAsync(context, StatusCodes.Status404NotFound, "");
        }

        if (route.Action.HasLocalActions)
        {
            // Fault delay/abort, redirect, direct response (ForwarderMiddleware.Actions.cs); a delayed request
            // continues with ForwardToClusterAsync.
            return InvokeLocalActionsAsync(context, feature, route);
        }

        return ForwardToClusterAsync(context, feature);
    }

    private Task ForwardToClusterAsync(HttpContext context, GatewayFeature feature)
    {
        if (feature.Cluster is not { } cluster)
        {
            // A rule without destinations answers itself (redirect, direct response); one whose
            // destinations all weigh 0 has nowhere to send the request.
            return LocalReply.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, NoHealthyUpstreamText);
        }

        var endpoint = cluster.PickEndpoint();
        if (endpoint is null)
        {
            ForwarderLog.NoHealthyUpstream(_logger, cluster.Name);
            return WriteErrorAsync(context, feature, GatewayForwarderError.NoHealthyUpstream, null);
        }

        feature.SelectedEndpoint = endpoint;
        return ForwardAsync(context, feature, cluster, endpoint);
    }

    private async Task ForwardAsync(HttpContext context, GatewayFeature feature, UpstreamCluster cluster, UpstreamEndpoint endpoint)
    {
        var tunnel = DetectTunnel(context);
        if (LocalReply.IsGrpc(context.Request))
        {
            // gRPC streams may sit idle for long stretches; Kestrel's minimum body data rate would reset them
            // (Grpc.AspNetCore and YARP lift it the same way).
            if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
            {
                rate.MinDataRate = null;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = null;
            }
        }

        CancellationTokenSource? timeoutSource = null;
        CancellationTokenSource? linkedSource = null;
        var cancellation = context.RequestAborted;
        var timeout = tunnel == TunnelKind.None ? feature.Route?.Timeout : null;
        if (timeout is not null)
        {
            // Started once the client's request is complete (below, or when its body has been sent).
            timeoutSource = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
            linkedSource = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeoutSource.Token);
            cancellation = linkedSource.Token;
        }

        try
        {
            using var message = UpstreamRequestFactory.Create(context, endpoint, cluster.Protocol, tunnel, _options, cancellation, out var content);
            if (timeoutSource is not null)
            {
                if (content is null)
                {
                    timeoutSource.CancelAfter(timeout!.Value);
                }
                else
                {
                    content.TimeoutToStart = (timeoutSource, timeout!.Value);
                }
            }

            HttpResponseMessage response;
            try
            {
                response = await cluster.Invoker.SendAsync(message, cancellation);
            }
            catch (Exception ex)
            {
                var error = ClassifySendFailure(ex, context, timeoutSource, content);
                ForwarderLog.ForwardingFailed(_logger, endpoint.Prefix, error, ex);
                await WriteErrorAsync(context, feature, error, ex);
                return;
            }

            using (response)
            {
                if (tunnel != TunnelKind.None && response.StatusCode == System.Net.HttpStatusCode.SwitchingProtocols)
                {
                    await TunnelAsync(context, feature, endpoint, response, tunnel);
                    return;
                }

                await CopyResponseAsync(context, feature, endpoint, response, timeoutSource, cancellation);
            }
        }
        finally
        {
            linkedSource?.Dispose();
            timeoutSource?.Dispose();
        }
    }

    private static TunnelKind DetectTunnel(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            && HopByHopHeaders.IsNamedInConnection(context.Request.Headers[HeaderNames.Upgrade], "websocket"))
        {
            return TunnelKind.Http1Upgrade;
        }

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect
            && string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase))
        {
            return TunnelKind.Http2WebSocket;
        }

        return TunnelKind.None;
    }
}
