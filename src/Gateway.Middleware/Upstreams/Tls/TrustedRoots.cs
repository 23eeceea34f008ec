using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Tls;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>The roots an upstream's certificate must chain to: given in memory, or a PEM bundle that reloads.</summary>
internal sealed class TrustedRoots
{
    private readonly X509Certificate2Collection? _fixed;
    private readonly ReloadingFileValue<X509Certificate2Collection>? _file;

    public TrustedRoots(X509Certificate2Collection roots)
    {
        _fixed = roots;
    }

    public TrustedRoots(ReloadingFileValue<X509Certificate2Collection> file)
    {
        _file = file;
    }

    /// <summary>The current roots (the last good bundle when the file changed to something unreadable).</summary>
    public X509Certificate2Collection Current => _fixed ?? _file!.Value;
}
