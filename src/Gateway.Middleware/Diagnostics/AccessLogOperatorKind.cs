namespace Gateway.Middleware.Diagnostics;

/// <summary>The Envoy command operators the access log supports.</summary>
internal enum AccessLogOperatorKind
{
    Literal,
    StartTime,
    RequestHeader,
    ResponseHeader,
    Protocol,
    ResponseCode,
    ResponseFlags,
    ResponseCodeDetails,
    ConnectionTerminationDetails,
    UpstreamTransportFailureReason,
    BytesReceived,
    BytesSent,
    Duration,
    UpstreamHost,
    UpstreamCluster,
    UpstreamLocalAddress,
    DownstreamLocalAddress,
    DownstreamRemoteAddress,
    DownstreamRemoteAddressWithoutPort,
    RequestedServerName,
    RouteName,
}
