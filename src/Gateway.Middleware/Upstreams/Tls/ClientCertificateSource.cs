using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Tls;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>
/// The certificate the gateway presents to an upstream: given in memory, or PEM files that reload. Each new
/// connection asks for <see cref="Current"/>, so a rotated certificate is used from the next handshake on
/// while connections already open keep theirs.
/// </summary>
internal sealed class ClientCertificateSource
{
    private readonly ReloadingFileValue<CertificateWithChain>? _file;
    private volatile Entry _entry;

    public ClientCertificateSource(X509Certificate2 certificate)
    {
        var value = new CertificateWithChain(certificate, []);
        _entry = new Entry(value, Create(value));
    }

    public ClientCertificateSource(ReloadingFileValue<CertificateWithChain> file)
    {
        _file = file;
        var value = file.Value;
        _entry = new Entry(value, Create(value));
    }

    public SslStreamCertificateContext Current
    {
        get
        {
            var entry = _entry;
            if (_file is null)
            {
                return entry.Context;
            }

            var value = _file.Value;
            if (!ReferenceEquals(value, entry.Value))
            {
                // Two handshakes racing here both build a context for the new value; either is right.
                entry = new Entry(value, Create(value));
                _entry = entry;
            }

            return entry.Context;
        }
    }

    // offline: the chain comes from the file; never fetch intermediates over the network.
    private static SslStreamCertificateContext Create(CertificateWithChain value)
        => SslStreamCertificateContext.Create(value.Certificate, value.Chain, offline: true);

    private sealed record Entry(CertificateWithChain Value, SslStreamCertificateContext Context);
}
