using System.Diagnostics;
using Gateway.Middleware.Forwarding;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Diagnostics;

internal static partial class GatewayTracing
{
    /// <summary>
    /// Starts the client span of one upstream try (or of a mirror's copy) and writes its context into the request.
    /// Null, with the request untouched (the client's <c>traceparent</c> goes upstream as sent), when nobody listens.
    /// </summary>
    /// <param name="message">The upstream request, which receives the span's <c>traceparent</c>.</param>
    /// <param name="cluster">The upstream cluster.</param>
    /// <param name="endpoint">The endpoint dialled.</param>
    /// <param name="attempt">0 for the first try, then the number of retries (<c>http.request.resend_count</c>).</param>
    /// <param name="mirror">Whether this is a mirrored copy.</param>
    /// <param name="parent">The parent when it is not <see cref="Activity.Current"/> (a mirror's copy runs on its own).</param>
    public static Activity? StartClient(HttpRequestMessage message, UpstreamCluster cluster, UpstreamEndpoint endpoint, int attempt, bool mirror, ActivityContext parent = default)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var method = message.Method.Method;
        var known = GatewayTracingTags.KnownMethod(method);
        var activity = Source.StartActivity(known ?? GatewayTracingTags.OtherMethodSpanName, ActivityKind.Client, parent);
        if (activity is null)
        {
            return null;
        }

        Inject(activity, message);
        if (!activity.IsAllDataRequested)
        {
            return activity;
        }

        SetMethod(activity, known, method);

        // The query is left out: it may carry credentials (Istio's access_token, signed-URL signatures).
        var target = message.RequestUri!.OriginalString;
        var query = target.IndexOf('?', StringComparison.Ordinal);
        activity.SetTag(GatewayTracingTags.UrlFull, query < 0 ? target : target[..query]);
        activity.SetTag(GatewayTracingTags.ServerAddress, endpoint.Address.Host);
        activity.SetTag(GatewayTracingTags.ServerPort, GatewayTracingTags.Boxed(endpoint.Address.Port));
        activity.SetTag(GatewayTracingTags.UpstreamCluster, cluster.Name);
        activity.SetTag(GatewayTracingTags.Destination, cluster.ServiceName);
        if (cluster.Subset is { } subset)
        {
            activity.SetTag(GatewayTracingTags.Subset, subset);
        }

        if (attempt > 0)
        {
            // Semantic conventions: set on resent requests only, counting the resends.
            activity.SetTag(GatewayTracingTags.HttpRequestResendCount, GatewayTracingTags.Boxed(attempt));
        }

        if (mirror)
        {
            activity.SetTag(GatewayTracingTags.Mirror, GatewayTracingTags.True);
        }

        return activity;
    }

    /// <summary>Records the upstream's response headers on a client span; 4xx and 5xx make it an error (client spans).</summary>
    public static void OnResponse(Activity? activity, HttpResponseMessage response)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        var status = (int)response.StatusCode;
        activity.SetTag(GatewayTracingTags.HttpResponseStatusCode, GatewayTracingTags.Boxed(status));
        activity.SetTag(GatewayTracingTags.NetworkProtocolVersion, GatewayTracingTags.ProtocolVersion(response.Version));
        if (status >= 400)
        {
            activity.SetTag(GatewayTracingTags.ErrorType, GatewayTracingTags.StatusCodeText(status));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>Ends a client span; a failure (before or after the response headers) marks it as an error.</summary>
    public static void StopClient(Activity? activity, GatewayForwarderError error = GatewayForwarderError.None)
    {
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested && ErrorType(error) is { } errorType)
        {
            activity.SetTag(GatewayTracingTags.ErrorType, errorType);
            activity.SetStatus(ActivityStatusCode.Error);
        }

        activity.Stop();
    }
}
