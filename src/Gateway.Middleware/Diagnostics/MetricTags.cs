namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// Attribute names of the gateway's metrics: OpenTelemetry semantic conventions where one exists
/// (<c>http.*</c>), <c>gateway.*</c> for what is the gateway's own. Every value comes from configuration or
/// a fixed set, never from the client, so the number of series stays bounded.
/// </summary>
internal static class MetricTags
{
    public const string Route = "gateway.route";
    public const string Destination = "gateway.destination";
    public const string Subset = "gateway.subset";
    public const string Cluster = "gateway.cluster";
    public const string ResponseFlags = "gateway.response_flags";
    public const string StatusCode = "http.response.status_code";
    public const string Method = "http.request.method";
    public const string JwtOutcome = "gateway.jwt.outcome";
    public const string JwtReason = "gateway.jwt.reason";
    public const string AuthorizationAction = "gateway.authorization.action";
    public const string AuthorizationPolicy = "gateway.authorization.policy";
    public const string ConfigResult = "gateway.config.result";
}
