using System.Security.Authentication;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>
/// A failed TLS handshake with an upstream, carrying the specific reason (chain untrusted, name mismatch,
/// expired, ...) the 503 body and the log report after <c>TLS error: </c>.
/// </summary>
internal sealed class UpstreamTlsException : AuthenticationException
{
    public UpstreamTlsException(string reason, Exception? innerException)
        : base(reason, innerException)
    {
        Reason = reason;
    }

    public string Reason { get; }
}
