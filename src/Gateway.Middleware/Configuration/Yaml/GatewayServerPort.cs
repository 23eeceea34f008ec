namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>A port named by an Istio Gateway server or a Gateway API listener.</summary>
/// <param name="Port">The port number (1-65535).</param>
/// <param name="Tls">
/// Whether a server on this port terminates TLS (Istio <c>HTTPS</c> with <c>tls.mode</c> SIMPLE, MUTUAL or
/// OPTIONAL_MUTUAL, Gateway API <c>HTTPS</c>): serve it with <c>ListenOptions.UseGatewayTls()</c>, never in clear.
/// </param>
public readonly record struct GatewayServerPort(int Port, bool Tls);
