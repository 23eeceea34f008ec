using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Tls;

/// <summary>
/// The compiled TLS settings of one server: where its certificate and client CA come from (files that
/// reload, or memory), the client certificate requirement and the protocol versions. Builds the
/// <see cref="SslServerAuthenticationOptions"/> of each handshake from the current certificate.
/// </summary>
internal sealed partial class ServerTlsContext
{
    private readonly Func<CertificateWithChain>? _certificate;
    private readonly Func<X509Certificate2Collection>? _clientCas;
    private readonly string[] _subjectAltNames;
    private readonly ILogger _logger;
    private volatile CertificateContext? _context;

    public ServerTlsContext(
        string serverName,
        ServerTlsMode mode,
        Func<CertificateWithChain>? certificate,
        Func<X509Certificate2Collection>? clientCas,
        string[] subjectAltNames,
        SslProtocols protocols,
        ILogger logger)
    {
        ServerName = serverName;
        Mode = mode;
        _certificate = certificate;
        _clientCas = clientCas;
        _subjectAltNames = subjectAltNames;
        Protocols = protocols;
        _logger = logger;
    }

    public string ServerName { get; }

    public ServerTlsMode Mode { get; }

    public SslProtocols Protocols { get; }

    /// <summary>The options of one handshake; throws when the server has no certificate of its own.</summary>
    public SslServerAuthenticationOptions CreateOptions(ConnectionContext connection)
    {
        if (_certificate is null)
        {
            throw new InvalidOperationException($"server '{ServerName}' terminates TLS but declares no certificate");
        }

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = CurrentContext(_certificate()),
            EnabledSslProtocols = Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };

        if (Mode != ServerTlsMode.Simple)
        {
            var identity = new GatewayPeerIdentity();
            connection.Features.Set(identity);
            var clientCas = _clientCas!();
            var remote = connection.RemoteEndPoint?.ToString() ?? "";
            options.ClientCertificateRequired = true;
            options.RemoteCertificateValidationCallback = (_, certificate, chain, _) => ValidateClient(certificate, chain, clientCas, identity, remote);
        }

        return options;
    }

    private SslStreamCertificateContext CurrentContext(CertificateWithChain certificate)
    {
        // Building a context walks the chain: do it once per certificate value, not per handshake.
        var current = _context;
        if (current is not null && ReferenceEquals(current.Source, certificate))
        {
            return current.Context;
        }

        var created = new CertificateContext(certificate, SslStreamCertificateContext.Create(certificate.Certificate, certificate.Chain, offline: true));
        _context = created;
        return created.Context;
    }

    private sealed record CertificateContext(CertificateWithChain Source, SslStreamCertificateContext Context);
}
