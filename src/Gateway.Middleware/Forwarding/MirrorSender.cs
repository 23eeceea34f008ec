using System.Diagnostics;
using Gateway.Middleware.Diagnostics;
using Gateway.Middleware.Routing.Actions;
using Gateway.Middleware.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// Sends copies of a request to the rule's mirrors (Istio <c>mirror</c>/<c>mirrors</c>, Envoy
/// <c>request_mirror_policies</c>), fire and forget: the copy's answer is read and dropped, its failures are
/// only logged, and it neither delays nor fails the forwarded request. A copy is not cancelled by the
/// client leaving; it ends with its own deadline (the route timeout, else <see cref="DefaultTimeout"/>) or
/// when the application stops.
/// </summary>
internal static class MirrorSender
{
    /// <summary>How long a mirrored request may run when its route sets no timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private const string ShadowSuffix = "-shadow";

    /// <summary>
    /// Starts the copies drawn for this request. Returns the tee the forwarded request's body must feed, or
    /// <see langword="null"/> when no copy carries a body.
    /// </summary>
    public static MirrorTee? Start(
        HttpContext context,
        MirrorPolicy[] mirrors,
        TimeSpan? routeTimeout,
        GatewayForwardingOptions options,
        TimeProvider timeProvider,
        ILogger logger)
    {
        MirrorTee? tee = null;
        CancellationToken? stopping = null;
        ActivityContext parent = default;
        foreach (var mirror in mirrors)
        {
            if (!mirror.ShouldMirror())
            {
                continue;
            }

            var cluster = mirror.Cluster;
            if (cluster.PickEndpoint() is not { } endpoint)
            {
                ForwarderLog.MirrorNoHealthyUpstream(logger, cluster.Name);
                continue;
            }

            var lifetime = new CancellationTokenSource(routeTimeout ?? DefaultTimeout, timeProvider);
            HttpRequestMessage message;
            try
            {
                // Built now, while the request is live: the copy must never touch HttpContext once it runs alone.
                message = UpstreamRequestFactory.Create(context, endpoint, cluster.Protocol, TunnelKind.None, options, lifetime.Token, out var body);
                message.Headers.Host = ShadowHost(message.Headers.Host ?? endpoint.Address.Authority);
                if (body is not null)
                {
                    var copy = new MirrorBodyContent(context.Request.ContentLength, lifetime, logger, cluster.Name);
                    foreach (var header in body.Headers.NonValidated)
                    {
                        if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                        {
                            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
                        }
                    }

                    message.Content = copy;
                    body.Dispose();
                    (tee ??= new MirrorTee()).Add(copy);
                }
            }
            catch (Exception ex)
            {
                lifetime.Dispose();
                ForwarderLog.MirrorFailed(logger, cluster.Name, endpoint.Prefix, ex);
                continue;
            }

            stopping ??= context.RequestServices?.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
            if (parent == default && GatewayTracing.Source.HasListeners() && Activity.Current is { } current)
            {
                // The copy's client span is a child of the request's server span, though it may outlive it.
                parent = current.Context;
            }

            // Off the request's execution context: the copy outlives the request and must not carry its state.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => SendAsync(cluster, endpoint, message, lifetime, logger, parent, stopping.Value));
            }
        }

        return tee;
    }

    /// <summary>
    /// Envoy's shadow authority: <c>-shadow</c> appended to the host, before the port
    /// (<c>foo.com:8080</c> → <c>foo.com-shadow:8080</c>; Envoy <c>shadowAppendedHost</c>).
    /// </summary>
    public static string ShadowHost(string host)
    {
        var portStart = PortStart(host);
        return portStart < 0
            ? string.Concat(host, ShadowSuffix)
            : string.Concat(host.AsSpan(0, portStart), ShadowSuffix, host.AsSpan(portStart));
    }

    /// <summary>Envoy <c>HeaderUtility::getPortStart</c>: the last <c>:</c>, unless it is inside an IPv6 literal.</summary>
    private static int PortStart(string host)
    {
        var colon = host.LastIndexOf(':');
        if (colon < 0)
        {
            return -1;
        }

        var bracket = host.LastIndexOf(']');
        return bracket < 0 || bracket < colon ? colon : -1;
    }

    private static async Task SendAsync(
        UpstreamCluster cluster, UpstreamEndpoint endpoint, HttpRequestMessage message, CancellationTokenSource lifetime, ILogger logger, ActivityContext parent, CancellationToken stopping)
    {
        // The message (and the body copy, which may cancel the lifetime) goes first, the lifetime last.
        using (lifetime)
        using (stopping.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), lifetime))
        using (message)
        {
            var span = GatewayTracing.StartClient(message, cluster, endpoint, 0, mirror: true, parent);
            try
            {
                using var response = await cluster.Invoker.SendAsync(message, lifetime.Token);
                GatewayTracing.OnResponse(span, response);

                // The answer is ignored; reading it to its end lets the connection be reused.
                await response.Content.CopyToAsync(Stream.Null, lifetime.Token);
                GatewayTracing.StopClient(span);
            }
            catch (Exception ex)
            {
                GatewayTracing.StopClient(span, ClassifyFailure(ex, lifetime));
                ForwarderLog.MirrorFailed(logger, cluster.Name, endpoint.Prefix, ex);
            }
        }
    }

    /// <summary>Why a copy failed, for its span: its deadline, the connection, or the upstream.</summary>
    private static GatewayForwarderError ClassifyFailure(Exception exception, CancellationTokenSource lifetime) => exception switch
    {
        OperationCanceledException when lifetime.IsCancellationRequested => GatewayForwarderError.RouteTimeout,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => GatewayForwarderError.ConnectionFailure,
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => GatewayForwarderError.TlsFailure,
        _ => GatewayForwarderError.UpstreamReset,
    };
}
