using System.Diagnostics;
using Gateway.Middleware.Forwarding;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// The gateway's <see cref="ActivitySource"/> and what its spans share. Every entry point checks
/// <see cref="ActivitySource.HasListeners"/> first: with nobody listening, tracing costs one call and allocates nothing.
/// </summary>
internal static partial class GatewayTracing
{
    /// <summary>ASP.NET Core's ActivitySource: a listener on it (OpenTelemetry.Instrumentation.AspNetCore) records the server span.</summary>
    public const string AspNetCoreSourceName = "Microsoft.AspNetCore";

    public static readonly ActivitySource Source = new(GatewayDiagnostics.ActivitySourceName);

    /// <summary>
    /// Writes the span's context into the upstream request (W3C <c>traceparent</c>/<c>tracestate</c> with the default
    /// propagator) in place of what the client sent: the upstream's parent is the gateway's span (as Envoy does).
    /// </summary>
    public static void Inject(Activity activity, HttpRequestMessage message)
    {
        var headers = message.Headers;
        headers.Remove(TraceParentHeader);
        headers.Remove(TraceStateHeader);
        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, name, value) =>
        {
            var target = (System.Net.Http.Headers.HttpRequestHeaders)carrier!;
            target.Remove(name);
            target.TryAddWithoutValidation(name, value);
        });
    }

    /// <summary>The <c>error.type</c> of a forwarding failure: the <see cref="GatewayForwarderError"/> name.</summary>
    public static string? ErrorType(GatewayForwarderError error) => error switch
    {
        GatewayForwarderError.None => null,
        GatewayForwarderError.NoHealthyUpstream => nameof(GatewayForwarderError.NoHealthyUpstream),
        GatewayForwarderError.ConnectionFailure => nameof(GatewayForwarderError.ConnectionFailure),
        GatewayForwarderError.TlsFailure => nameof(GatewayForwarderError.TlsFailure),
        GatewayForwarderError.UpstreamReset => nameof(GatewayForwarderError.UpstreamReset),
        GatewayForwarderError.RouteTimeout => nameof(GatewayForwarderError.RouteTimeout),
        GatewayForwarderError.ClientAborted => nameof(GatewayForwarderError.ClientAborted),
        GatewayForwarderError.RequestBodyClient => nameof(GatewayForwarderError.RequestBodyClient),
        GatewayForwarderError.RequestBodyUpstream => nameof(GatewayForwarderError.RequestBodyUpstream),
        GatewayForwarderError.ResponseBodyUpstream => nameof(GatewayForwarderError.ResponseBodyUpstream),
        GatewayForwarderError.ResponseBodyClient => nameof(GatewayForwarderError.ResponseBodyClient),
        GatewayForwarderError.UpgradeFailure => nameof(GatewayForwarderError.UpgradeFailure),
        GatewayForwarderError.Overflow => nameof(GatewayForwarderError.Overflow),
        _ => "_OTHER",
    };

    private const string TraceParentHeader = "traceparent";
    private const string TraceStateHeader = "tracestate";
}
