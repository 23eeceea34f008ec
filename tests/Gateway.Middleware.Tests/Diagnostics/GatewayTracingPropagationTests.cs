using System.Diagnostics;
using Gateway.Middleware.Diagnostics;

namespace Gateway.Middleware.Tests.Diagnostics;

/// <summary>
/// W3C Trace Context (w3.org/TR/trace-context) on the upstream request: the gateway's span replaces what the client
/// sent, so the upstream's parent is the gateway (Envoy does the same with its own span).
/// </summary>
public sealed class GatewayTracingPropagationTests
{
    [Fact]
    public void Inject_ClientTraceparent_ReplacedByTheSpansContext()
    {
        using var span = StartSpan("congo=t61rcWkgMzE");
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://upstream/");
        message.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        message.Headers.TryAddWithoutValidation("tracestate", "rojo=00f067aa0ba902b7");

        GatewayTracing.Inject(span, message);

        Assert.Equal([span.Id!], message.Headers.GetValues("traceparent"));
        Assert.Equal(["congo=t61rcWkgMzE"], message.Headers.GetValues("tracestate"));
    }

    [Fact]
    public void Inject_SpanWithoutTracestate_ClientTracestateDropped()
    {
        using var span = StartSpan(null);
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://upstream/");
        message.Headers.TryAddWithoutValidation("tracestate", "rojo=00f067aa0ba902b7");

        GatewayTracing.Inject(span, message);

        Assert.Equal([span.Id!], message.Headers.GetValues("traceparent"));
        Assert.False(message.Headers.Contains("tracestate"));
    }

    private static Activity StartSpan(string? traceState)
    {
        var activity = new Activity("test");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.TraceStateString = traceState;
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        return activity.Start();
    }
}
