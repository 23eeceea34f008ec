namespace Gateway.Middleware.Routing.Actions;

/// <summary>
/// Envoy <c>retry_on</c> conditions (router filter, <c>x-envoy-retry-on</c> and <c>x-envoy-retry-grpc-on</c>),
/// as Istio passes <c>HTTPRetry.retryOn</c> through.
/// </summary>
[Flags]
internal enum RetryConditions
{
    None = 0,

    /// <summary><c>connect-failure</c>: the connection could not be made (refused, timeout, TLS handshake).</summary>
    ConnectFailure = 1 << 0,

    /// <summary><c>refused-stream</c>: the upstream reset the stream with HTTP/2 <c>REFUSED_STREAM</c>.</summary>
    RefusedStream = 1 << 1,

    /// <summary><c>reset</c>: any failure before response headers (disconnect, reset, per-try timeout).</summary>
    Reset = 1 << 2,

    /// <summary><c>5xx</c>: any 5xx response, and everything <c>reset</c> covers.</summary>
    FiveXx = 1 << 3,

    /// <summary><c>gateway-error</c>: 502, 503 or 504 responses, and everything <c>reset</c> covers.</summary>
    GatewayError = 1 << 4,

    /// <summary><c>retriable-4xx</c>: 409 responses.</summary>
    Retriable4xx = 1 << 5,

    /// <summary><c>retriable-status-codes</c>: the status codes listed in <c>retryOn</c>.</summary>
    RetriableStatusCodes = 1 << 6,

    /// <summary><c>envoy-ratelimited</c>: responses carrying <c>x-envoy-ratelimited</c>.</summary>
    EnvoyRateLimited = 1 << 7,

    /// <summary><c>cancelled</c>: gRPC status 1 in the response headers.</summary>
    GrpcCancelled = 1 << 8,

    /// <summary><c>deadline-exceeded</c>: gRPC status 4.</summary>
    GrpcDeadlineExceeded = 1 << 9,

    /// <summary><c>resource-exhausted</c>: gRPC status 8.</summary>
    GrpcResourceExhausted = 1 << 10,

    /// <summary><c>internal</c>: gRPC status 13.</summary>
    GrpcInternal = 1 << 11,

    /// <summary><c>unavailable</c>: gRPC status 14.</summary>
    GrpcUnavailable = 1 << 12,

    /// <summary>Every gRPC status condition.</summary>
    AnyGrpc = GrpcCancelled | GrpcDeadlineExceeded | GrpcResourceExhausted | GrpcInternal | GrpcUnavailable,
}
