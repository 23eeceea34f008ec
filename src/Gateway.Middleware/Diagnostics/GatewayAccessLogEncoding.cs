namespace Gateway.Middleware.Diagnostics;

/// <summary>How access-log entries are written (Istio <c>meshConfig.accessLogEncoding</c>).</summary>
public enum GatewayAccessLogEncoding
{
    /// <summary>One line of text per request, from the format string.</summary>
    Text = 0,

    /// <summary>One JSON object per request, keys from the format.</summary>
    Json = 1,
}
