using System.Diagnostics;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Diagnostics;

internal static partial class GatewayTracing
{
    // ASP.NET Core's request activity; created without a source (so unrecorded) when nobody listens to Microsoft.AspNetCore.
    private const string HostingActivityName = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    /// <summary>
    /// Starts the gateway's own server span, for when nobody records ASP.NET Core's. Its parent is the client's
    /// <c>traceparent</c>, read again here because ASP.NET Core's unrecorded activity (created for log scopes) is not
    /// exported: a child of it would point at a span nobody sees, and a parent-based sampler would drop it.
    /// </summary>
    public static Activity? StartServer(HttpContext context, Activity? current)
    {
        var request = context.Request;
        ActivityContext parent = default;
        if (current is null || (current.Source.Name.Length == 0 && current.OperationName == HostingActivityName))
        {
            DistributedContextPropagator.Current.ExtractTraceIdAndState(request.Headers, GetHeader, out var traceParent, out var traceState);
            _ = ActivityContext.TryParse(traceParent, traceState, isRemote: true, out parent);
            if (parent == default)
            {
                // A new trace: not a child of the unrecorded hosting activity.
                Activity.Current = null;
            }
        }

        var method = GatewayTracingTags.KnownMethod(request.Method);
        var activity = Source.StartActivity(method ?? GatewayTracingTags.OtherMethodSpanName, ActivityKind.Server, parent);
        if (activity is null || !activity.IsAllDataRequested)
        {
            return activity;
        }

        SetMethod(activity, method, request.Method);
        activity.SetTag(GatewayTracingTags.UrlScheme, request.Scheme);
        activity.SetTag(GatewayTracingTags.UrlPath, (request.PathBase + request.Path).ToString());
        var host = request.Host;
        if (host.HasValue)
        {
            activity.SetTag(GatewayTracingTags.ServerAddress, host.Host);
            if (host.Port is { } port)
            {
                activity.SetTag(GatewayTracingTags.ServerPort, GatewayTracingTags.Boxed(port));
            }
        }

        if (GatewayTracingTags.ProtocolVersion(request.Protocol) is { } version)
        {
            activity.SetTag(GatewayTracingTags.NetworkProtocolVersion, version);
        }

        if (context.Connection.RemoteIpAddress is { } peer)
        {
            activity.SetTag(GatewayTracingTags.ClientAddress, peer.ToString());
        }

        return activity;
    }

    /// <summary>Ends the gateway's server span with the answer and what the gateway decided.</summary>
    public static void StopServer(Activity activity, HttpContext context, Exception? exception)
    {
        if (activity.IsAllDataRequested)
        {
            var status = exception is not null && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            activity.SetTag(GatewayTracingTags.HttpResponseStatusCode, GatewayTracingTags.Boxed(status));
            Enrich(activity, context, status, exception);
        }

        activity.Stop();
    }

    /// <summary>
    /// Adds what the gateway decided (route, destination, subset, server, response flags, error) to a server span,
    /// the gateway's own or ASP.NET Core's. Server spans are errors on 5xx and on failures only (semantic conventions).
    /// </summary>
    public static void Enrich(Activity activity, HttpContext context, int status, Exception? exception)
    {
        var feature = context.Features.Get<IGatewayFeature>() as GatewayFeature;
        if (feature is not null)
        {
            if (feature.Route is { } route)
            {
                activity.SetTag(GatewayTracingTags.Route, route.Name);
            }

            if (feature.Cluster is { } cluster)
            {
                activity.SetTag(GatewayTracingTags.Destination, cluster.ServiceName);
                if (cluster.Subset is { } subset)
                {
                    activity.SetTag(GatewayTracingTags.Subset, subset);
                }
            }

            if (feature.MatchedVirtualHost?.ServerName is { } server)
            {
                activity.SetTag(GatewayTracingTags.Server, server);
            }
        }

        activity.SetTag(GatewayTracingTags.ResponseFlags, AccessLogResponseFlags.For(context, feature, status));

        var errorType = exception is not null ? exception.GetType().FullName
            : context.Features.Get<IGatewayForwarderErrorFeature>() is { } failure && ErrorType(failure.Error) is { } name ? name
            : status >= StatusCodes.Status500InternalServerError ? GatewayTracingTags.StatusCodeText(status)
            : null;
        if (errorType is not null)
        {
            activity.SetTag(GatewayTracingTags.ErrorType, errorType);
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    private static void SetMethod(Activity activity, string? known, string method)
    {
        if (known is not null)
        {
            activity.SetTag(GatewayTracingTags.HttpRequestMethod, known);
            return;
        }

        activity.SetTag(GatewayTracingTags.HttpRequestMethod, GatewayTracingTags.OtherMethod);
        activity.SetTag(GatewayTracingTags.HttpRequestMethodOriginal, method);
    }

    private static void GetHeader(object? carrier, string name, out string? value, out IEnumerable<string>? values)
    {
        values = null;
        var found = ((IHeaderDictionary)carrier!)[name];
        value = StringValues.IsNullOrEmpty(found) ? null : found.Count == 1 ? found[0] : found.ToString();
    }
}
