using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Tls;

/// <summary>
/// The certificate and CA files loaded so far, one <see cref="ReloadingFileValue{T}"/> per set of files (by full
/// path), so a configuration reload does not re-read files whose content did not change and keeps their last good
/// content. Shared by gateway-side TLS and upstream TLS origination, each with its own check interval.
/// </summary>
internal sealed class TlsFileCache
{
    private readonly ConcurrentDictionary<string, object> _files = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _checkInterval;

    public TlsFileCache(TimeProvider timeProvider, ILogger logger, TimeSpan checkInterval)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        _checkInterval = checkInterval;
    }

    /// <summary>A certificate with its key from PEM files; throws when they cannot be loaded.</summary>
    public ReloadingFileValue<CertificateWithChain> GetCertificate(string certificatePath, string keyPath)
        => Get("cert\0" + Path.GetFullPath(certificatePath) + "\0" + Path.GetFullPath(keyPath), [certificatePath, keyPath], static paths => PemFiles.LoadCertificate(paths[0], paths[1]));

    /// <summary>A PEM bundle of CA certificates; throws when it cannot be loaded.</summary>
    public ReloadingFileValue<X509Certificate2Collection> GetBundle(string path)
        => Get("ca\0" + Path.GetFullPath(path), [path], static paths => PemFiles.LoadBundle(paths[0]));

    private ReloadingFileValue<T> Get<T>(string key, string[] paths, Func<string[], T> load)
        where T : class
        => (ReloadingFileValue<T>)_files.GetOrAdd(
            key,
            static (_, state) => new ReloadingFileValue<T>(state.paths, state.load, state.self._timeProvider, state.self._logger, state.self._checkInterval),
            (self: this, paths, load));
}
