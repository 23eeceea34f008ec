namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>A port named by an Istio Gateway server or a Gateway API listener.</summary>
/// <param name="Port">The port number (1-65535).</param>
/// <param name="Tls">
/// Whether a server on this port terminates TLS (Istio <c>HTTPS</c> with <c>tls.mode</c> SIMPLE/MUTUAL,
/// Gateway API <c>HTTPS</c>); the host then needs a certificate for it, it must not be served in clear.
/// </param>
public readonly record struct GatewayServerPort(int Port, bool Tls);
