using Gateway.Middleware.Diagnostics;
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

        if (cluster.LocalReplyStatus is { } status)
        {
            // A Gateway API backendRef that cannot be resolved answers 500 for its share of traffic.
            return LocalReply.WriteAsync(context, status, "");
        }

        // Host selection (skipping ejected endpoints), then the cluster's circuit breaker: Envoy's connection pool
        // admits the request or answers 503 overflow at once.
        var hash = cluster.HashRequest(context, out var setCookie);
        var index = cluster.PickEndpointIndex(hash);
        if (index < 0)
        {
            ForwarderLog.NoHealthyUpstream(_logger, cluster.Name);
            return WriteErrorAsync(context, feature, GatewayForwarderError.NoHealthyUpstream, null);
        }

        if (!cluster.CircuitBreaker.TryAcquireRequest())
        {
            TrafficPolicyLog.CircuitBreakerOverflow(cluster.Logger, cluster.Name);
            return WriteErrorAsync(context, feature, GatewayForwarderError.Overflow, null);
        }

        feature.SelectedEndpoint = cluster.Endpoints[index];
        return ForwardAsync(context, feature, cluster, index, hash, setCookie);
    }

    /// <summary>Forwards an admitted request; releases its circuit breaker slots exactly once, on every path.</summary>
    private async Task ForwardAsync(HttpContext context, GatewayFeature feature, UpstreamCluster cluster, int index, ulong? hash, string? setCookie)
    {
        var endpoint = cluster.Endpoints[index];
        var inFlight = -1;
        var retryAdmitted = false;
        var attempt = 0;
        CancellationTokenSource? timeoutSource = null;
        CancellationTokenSource? linkedSource = null;
        MirrorTee? tee = null;
        System.Diagnostics.Activity? span = null;
        try
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

            var cancellation = context.RequestAborted;
            var timeout = tunnel == TunnelKind.None ? feature.Route?.Timeout : null;
            if (timeout is not null)
            {
                // Started once the client's request is complete (below, or when its body has been sent).
                timeoutSource = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
                linkedSource = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeoutSource.Token);
                cancellation = linkedSource.Token;
            }

            // Retries (Istio HTTPRetry): each try goes to the next endpoint; a try is replayed only when the
            // client's body has not started streaming (DESIGN.md), and the route timeout spans every try.
            // (Values the route holds are read from it again rather than kept in locals: every local that lives
            // across an await is a field of this method's state machine, allocated per request.)
            var action = feature.Route!.Action;
            var retry = new RetryState(action.Retry);
            var routeTimerStarted = false;

            // Mirrors get their copies before the first try and follow the client's body as the tries read it.
            tee = action.Mirrors.Length == 0 || tunnel != TunnelKind.None
                ? null
                : MirrorSender.Start(context, action.Mirrors, timeout, _options, _timeProvider, _logger);

            while (true)
            {
                using var tryTimeout = tunnel == TunnelKind.None && feature.Route.Action.Retry.PerTryTimeout is { } perTry
                    ? new RetryTryTimeout(perTry, _timeProvider, timeoutSource, context.RequestAborted)
                    : null;
                using var message = UpstreamRequestFactory.Create(context, endpoint, cluster.Protocol, tunnel, _options, tryTimeout?.Token ?? cancellation, out var content);
                if (tunnel == TunnelKind.None && cluster.Protocol != UpstreamProtocol.Http2 && cluster.CircuitBreaker.ShouldCloseConnection())
                {
                    // maxRequestsPerConnection: the upstream closes the connection after this request.
                    message.Headers.ConnectionClose = true;
                }

                // One client span per try; null (and the client's traceparent sent as is) when nobody listens.
                span = GatewayTracing.StartClient(message, cluster, endpoint, attempt, mirror: false);

                if (content is null)
                {
                    if (!routeTimerStarted)
                    {
                        routeTimerStarted = true;
                        timeoutSource?.CancelAfter(feature.Route.Timeout!.Value);
                    }

                    tryTimeout?.Start();
                }
                else
                {
                    // The timers start once the client's body has been sent.
                    if (timeoutSource is not null && !routeTimerStarted)
                    {
                        content.TimeoutToStart = (timeoutSource, feature.Route.Timeout!.Value);
                    }

                    if (tryTimeout is not null)
                    {
                        content.TryTimeoutToStart = (tryTimeout.Timer, tryTimeout.Delay);
                    }

                    content.Tee = tee;
                }

                HttpResponseMessage response;
                cluster.OnTryStarted(index);
                inFlight = index;
                try
                {
                    response = await cluster.Invoker.SendAsync(message, tryTimeout?.Token ?? cancellation);
                }
                catch (Exception ex)
                {
                    routeTimerStarted |= content?.Completed == true;
                    var error = ClassifySendFailure(ex, context, tryTimeout?.AnyTimeout ?? timeoutSource, content);
                    GatewayTracing.StopClient(span, error);
                    span = null;
                    ReportFailure(cluster, index, error);
                    cluster.OnTryEnded(index);
                    inFlight = -1;
                    var perTryExpired = error == GatewayForwarderError.RouteTimeout && tryTimeout?.Expired == true && timeoutSource?.IsCancellationRequested != true;
                    var retried = (content is null || content.CanReplay)
                        && (perTryExpired ? retry.ShouldRetryPerTryTimeout() : retry.ShouldRetry(error, IsRefusedStream(ex)))
                        && AdmitRetry(cluster, ref retryAdmitted);
                    if (!retried)
                    {
                        feature.RetryLimitExceeded = perTryExpired ? retry.PerTryTimeoutLimitExceeded() : retry.LimitExceeded(error, IsRefusedStream(ex));
                        ForwarderLog.ForwardingFailed(_logger, endpoint.Prefix, error, ex);
                        await WriteErrorAsync(context, feature, error, ex);
                        return;
                    }

                    var backoff = retry.TakeRetry();
                    ForwarderLog.RetryAfterFailure(_logger, endpoint.Prefix, error, retry.Retries, backoff, ex);
                    if (!await WaitBeforeRetryAsync(context, feature, backoff, cancellation))
                    {
                        return;
                    }

                    index = RetryState.PickNextEndpoint(cluster, index, hash, ++attempt);
                    if (index < 0)
                    {
                        await WriteErrorAsync(context, feature, GatewayForwarderError.NoHealthyUpstream, null);
                        return;
                    }

                    endpoint = cluster.Endpoints[index];
                    feature.SelectedEndpoint = endpoint;
                    continue;
                }

                routeTimerStarted |= content?.Completed == true;
                GatewayTracing.OnResponse(span, response);
                cluster.ReportStatus(index, (int)response.StatusCode);
                if (retry.ShouldRetry(response) && (content is null || content.CanReplay) && AdmitRetry(cluster, ref retryAdmitted))
                {
                    // The retried answer is dropped unread; the client sees the last try's.
                    var status = (int)response.StatusCode;
                    response.Dispose();
                    GatewayTracing.StopClient(span);
                    span = null;
                    cluster.OnTryEnded(index);
                    inFlight = -1;
                    var backoff = retry.TakeRetry();
                    ForwarderLog.RetryAfterStatus(_logger, endpoint.Prefix, status, retry.Retries, backoff);
                    if (!await WaitBeforeRetryAsync(context, feature, backoff, cancellation))
                    {
                        return;
                    }

                    index = RetryState.PickNextEndpoint(cluster, index, hash, ++attempt);
                    if (index < 0)
                    {
                        await WriteErrorAsync(context, feature, GatewayForwarderError.NoHealthyUpstream, null);
                        return;
                    }

                    endpoint = cluster.Endpoints[index];
                    feature.SelectedEndpoint = endpoint;
                    continue;
                }

                feature.RetryLimitExceeded = retry.LimitExceeded(response);
                using (response)
                {
                    if (tunnel != TunnelKind.None && response.StatusCode == System.Net.HttpStatusCode.SwitchingProtocols)
                    {
                        await TunnelAsync(context, feature, endpoint, response, tunnel);
                        return;
                    }

                    await CopyResponseAsync(context, feature, endpoint, response, setCookie, tryTimeout?.AnyTimeout ?? timeoutSource, tryTimeout?.Token ?? cancellation);
                }

                // The last try's span covers the response body too: it ends with the copy, failed or not.
                GatewayTracing.StopClient(span, feature.Error);
                span = null;

                return;
            }
        }
        finally
        {
            // An unexpected exception or a tunnel still ends the open span.
            GatewayTracing.StopClient(span, feature.Error);
            tee?.End();
            linkedSource?.Dispose();
            timeoutSource?.Dispose();
            if (inFlight >= 0)
            {
                cluster.OnTryEnded(inFlight);
            }

            if (retryAdmitted)
            {
                cluster.CircuitBreaker.ReleaseRetry();
            }

            cluster.CircuitBreaker.ReleaseRequest();
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
