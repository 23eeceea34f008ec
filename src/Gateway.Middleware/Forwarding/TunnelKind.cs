namespace Gateway.Middleware.Forwarding;

/// <summary>Whether a request opens a tunnel, and how the client asked for it.</summary>
internal enum TunnelKind
{
    None,

    /// <summary>HTTP/1.1 <c>Connection: Upgrade</c> + <c>Upgrade: websocket</c>.</summary>
    Http1Upgrade,

    /// <summary>HTTP/2 extended CONNECT with <c>:protocol websocket</c> (RFC 8441).</summary>
    Http2WebSocket,
}
