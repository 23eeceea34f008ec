namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// The access log's format: Istio's <c>meshConfig.accessLogFormat</c> and <c>accessLogEncoding</c>, with the Envoy
/// command operators listed in docs/observability.md.
/// </summary>
public sealed class GatewayAccessLogOptions
{
    /// <summary>Envoy's default format (the default here): start time, request line, code, flags, bytes, duration, upstream host.</summary>
    public const string EnvoyFormat = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"";

    /// <summary>Istio's default text format (<c>accessLogFormat</c> empty): Envoy's plus code details, cluster, addresses, SNI and route name.</summary>
    public const string IstioFormat = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%";

    /// <summary>
    /// The format: for <see cref="GatewayAccessLogEncoding.Text"/> a format string of literal text and
    /// <c>%OPERATOR%</c>s; for <see cref="GatewayAccessLogEncoding.Json"/> a JSON object whose values are operators
    /// (<c>{"code": "%RESPONSE_CODE%"}</c>). Default <see langword="null"/>: <see cref="EnvoyFormat"/> for text, Istio's
    /// default JSON keys for JSON. An unknown operator stops the app at start with an error naming it.
    /// </summary>
    public string? Format { get; set; }

    /// <summary>Text lines or one JSON object per request (Istio <c>accessLogEncoding</c>). Default <see cref="GatewayAccessLogEncoding.Text"/>.</summary>
    public GatewayAccessLogEncoding Encoding { get; set; }
}
