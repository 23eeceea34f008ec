namespace Gateway.Middleware.Forwarding;

/// <summary>Why forwarding a request failed. Each value documents the status the client receives.</summary>
public enum GatewayForwarderError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The upstream has no endpoint to send to: 503 <c>no healthy upstream</c> (Envoy flag UH).</summary>
    NoHealthyUpstream,

    /// <summary>
    /// The connection to the upstream could not be made (refused, unreachable, connect timeout): 503
    /// <c>upstream connect error or disconnect/reset before headers. reset reason: connection failure</c> (UF).
    /// </summary>
    ConnectionFailure,

    /// <summary>
    /// The TLS handshake with the upstream failed (untrusted certificate, name mismatch, protocol): 503 with
    /// <c>transport failure reason: TLS error: ...</c>; the request is never sent in clear (UF).
    /// </summary>
    TlsFailure,

    /// <summary>
    /// The upstream closed or reset the connection or stream before sending response headers: 503
    /// <c>... reset reason: connection termination</c> (UC) or <c>remote reset</c> (UR).
    /// </summary>
    UpstreamReset,

    /// <summary>
    /// The route timeout, or the last try's per-try timeout (retry policy), elapsed: 504 <c>upstream request timeout</c>
    /// before headers, else the client stream is aborted (UT).
    /// </summary>
    RouteTimeout,

    /// <summary>The client went away; the upstream request was cancelled and no response is written (DC).</summary>
    ClientAborted,

    /// <summary>Reading the client's request body failed (malformed or too large): 400 or 413 from the server.</summary>
    RequestBodyClient,

    /// <summary>Sending the request body to the upstream failed: 503 before headers, else the client stream is aborted.</summary>
    RequestBodyUpstream,

    /// <summary>The upstream failed after the response started: the client response is aborted, never cleanly truncated (UPE).</summary>
    ResponseBodyUpstream,

    /// <summary>The client failed while the response body was being written; the upstream is cancelled (DC).</summary>
    ResponseBodyClient,

    /// <summary>A protocol upgrade (WebSocket) could not be established or broke while tunnelling.</summary>
    UpgradeFailure,

    /// <summary>
    /// The upstream's circuit breaker is open (DestinationRule <c>connectionPool</c> limits reached): 503
    /// <c>upstream connect error or disconnect/reset before headers. reset reason: overflow</c> at once (UO).
    /// </summary>
    Overflow,
}
