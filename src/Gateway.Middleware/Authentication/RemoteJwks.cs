using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// The cached key set of one <c>jwksUri</c>. Refreshed on a timer; a failed refresh keeps the last good set;
/// a token naming an unknown <c>kid</c> may trigger one early refetch per <see cref="UnknownKidRefetchInterval"/>
/// (key rotation without a restart, while a stream of forged kids cannot hammer the issuer). With no set
/// yet, tokens fail closed; a cold cache retries at most every <see cref="ColdRetryInterval"/>.
/// </summary>
internal sealed class RemoteJwks : IDisposable
{
    public static readonly TimeSpan UnknownKidRefetchInterval = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan ColdRetryInterval = TimeSpan.FromSeconds(10);

    private readonly Uri _uri;
    private readonly HttpClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ITimer _refreshTimer;
    private volatile JwtKeySet? _current;
    private Task? _inFlight;
    private long _lastAttempt;
    private long _lastKidRefetch;

    public RemoteJwks(Uri uri, HttpClient client, TimeSpan refreshInterval, TimeProvider timeProvider, ILogger logger)
    {
        _uri = uri;
        _client = client;
        _timeProvider = timeProvider;
        _logger = logger;
        _lastAttempt = long.MinValue;
        _lastKidRefetch = long.MinValue;
        _refreshTimer = timeProvider.CreateTimer(static state => _ = ((RemoteJwks)state!).FetchAsync(), this, refreshInterval, refreshInterval);
    }

    public Uri Uri => _uri;

    /// <summary>The last good key set; null until a fetch has succeeded.</summary>
    public JwtKeySet? Current => _current;

    /// <summary>The fetch started last (tests await it after moving a fake clock).</summary>
    internal Task LastFetch
    {
        get
        {
            lock (_lock)
            {
                return _inFlight ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>The current set; on a cold cache, one bounded fetch attempt first.</summary>
    public async ValueTask<JwtKeySet?> GetAsync()
    {
        if (_current is { } current)
        {
            return current;
        }

        Task? fetch;
        lock (_lock)
        {
            fetch = _inFlight is { IsCompleted: false } running ? running
                : Elapsed(_lastAttempt) >= ColdRetryInterval ? StartFetch()
                : null;
        }

        if (fetch is not null)
        {
            await fetch.ConfigureAwait(false);
        }

        return _current;
    }

    /// <summary>Refetches because a token named a kid the set lacks, unless one did within the interval.</summary>
    public async ValueTask<JwtKeySet?> RefetchForUnknownKidAsync()
    {
        var last = Volatile.Read(ref _lastKidRefetch);
        if (Elapsed(last) < UnknownKidRefetchInterval
            || Interlocked.CompareExchange(ref _lastKidRefetch, _timeProvider.GetTimestamp(), last) != last)
        {
            return _current;
        }

        await FetchAsync().ConfigureAwait(false);
        return _current;
    }

    /// <summary>Fetches now, joining a fetch already running. Never throws; bounded by the client's timeout.</summary>
    public Task FetchAsync()
    {
        lock (_lock)
        {
            return _inFlight is { IsCompleted: false } running ? running : StartFetch();
        }
    }

    // Under _lock.
    private Task StartFetch()
    {
        _lastAttempt = _timeProvider.GetTimestamp();
        _inFlight = FetchCoreAsync();
        return _inFlight;
    }

    public void Dispose()
    {
        _refreshTimer.Dispose();
        _client.Dispose();
    }

    private async Task FetchCoreAsync()
    {
        try
        {
            var json = await _client.GetStringAsync(_uri).ConfigureAwait(false);
            if (JwtKeySet.TryParse(json, allowSymmetric: false, out var keys, out var error))
            {
                _current = keys;
                JwtLog.JwksFetched(_logger, _uri, keys.Keys.Count);
            }
            else
            {
                JwtLog.JwksRejected(_logger, _uri, error!);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException or InvalidOperationException)
        {
            JwtLog.JwksFetchFailed(_logger, _uri, ex);
        }
    }

    private TimeSpan Elapsed(long since)
        => since == long.MinValue ? TimeSpan.MaxValue : _timeProvider.GetElapsedTime(since);
}
