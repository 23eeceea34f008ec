using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Tls;

/// <summary>
/// A value loaded from files (a PEM certificate and key, a CA bundle) that reloads when their content
/// changes. Readers get the last good value without blocking; at most once per <c>checkInterval</c> a
/// reader triggers a background check that re-reads the files, and a new value replaces the old one only
/// when it loads. A broken new file keeps the last good value and is logged once per distinct content.
/// Content is compared, not timestamps, so Kubernetes' symlink swaps of mounted secrets are seen too.
/// </summary>
/// <typeparam name="T">The loaded value.</typeparam>
internal sealed class ReloadingFileValue<T>
    where T : class
{
    private readonly string[] _paths;
    private readonly Func<string[], T> _load;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly long _checkIntervalTicks;
    private volatile State _state;
    private long _nextCheck;
    private int _checking;

    /// <summary>Loads the files once; throws when they cannot be read or parsed (a configuration error).</summary>
    public ReloadingFileValue(string[] paths, Func<string[], T> load, TimeProvider timeProvider, ILogger logger, TimeSpan checkInterval)
    {
        _paths = paths;
        _load = load;
        _timeProvider = timeProvider;
        _logger = logger;
        _checkIntervalTicks = (long)(checkInterval.TotalSeconds * timeProvider.TimestampFrequency);
        var hash = HashFiles(paths);
        _state = new State(load(paths), hash, hash);
        _nextCheck = timeProvider.GetTimestamp() + _checkIntervalTicks;
    }

    /// <summary>Raised after a new value has replaced the old one.</summary>
    public event Action<T>? Reloaded;

    /// <summary>The last good value; may start a background check of the files.</summary>
    public T Value
    {
        get
        {
            var now = _timeProvider.GetTimestamp();
            if (now >= Volatile.Read(ref _nextCheck) && Interlocked.CompareExchange(ref _checking, 1, 0) == 0)
            {
                Volatile.Write(ref _nextCheck, now + _checkIntervalTicks);
                _ = Task.Run(CheckNow);
            }

            return _state.Value;
        }
    }

    /// <summary>Re-reads the files now (tests and file watchers); returns whether the value changed.</summary>
    public bool CheckNow()
    {
        try
        {
            var current = _state;
            byte[] hash;
            try
            {
                hash = HashFiles(_paths);
            }
            catch (IOException ex)
            {
                TlsLog.CertificateReloadFailed(_logger, string.Join(", ", _paths), ex.Message, ex);
                return false;
            }

            if (hash.AsSpan().SequenceEqual(current.Hash) || hash.AsSpan().SequenceEqual(current.FailedHash))
            {
                return false;
            }

            T value;
            try
            {
                value = _load(_paths);
            }
            catch (Exception ex) when (ex is IOException or CryptographicException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
            {
                _state = current with { FailedHash = hash };
                TlsLog.CertificateReloadFailed(_logger, string.Join(", ", _paths), ex.Message, ex);
                return false;
            }

            _state = new State(value, hash, hash);
            TlsLog.CertificateReloaded(_logger, string.Join(", ", _paths));
            Reloaded?.Invoke(value);
            return true;
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    private static byte[] HashFiles(string[] paths)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths)
        {
            hash.AppendData(File.ReadAllBytes(path));
            hash.AppendData([0]);
        }

        return hash.GetHashAndReset();
    }

    private sealed record State(T Value, byte[] Hash, byte[] FailedHash);
}
