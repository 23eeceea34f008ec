using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// The cached key set of one <c>jwksUri</c>. Refreshed on a timer; a failed refresh keeps the last good set;
/// a token naming an unknown <c>kid</c> may trigger one early refetch per <see cref="UnknownKidRefetchInterval"/>
/// (key rotation without a restart, while a stream of forged kids cannot hammer the issuer). With no set
/// yet, tokens fail closed; a cold cache retries at most every <see cref="ColdRetryInterval"/>.
/// For a rule with neither <c>jwks</c> nor <c>jwksUri</c>, <see cref="Uri"/> is the issuer's OIDC discovery
/// document: every fetch reads its <c>jwks_uri</c> first (so a failed discovery is retried by the next
/// refresh, and a moved <c>jwks_uri</c> is followed), then fetches the keys from it with the same client.
/// </summary>
internal sealed class RemoteJwks : IDisposable
{
    public static readonly TimeSpan UnknownKidRefetchInterval = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan ColdRetryInterval = TimeSpan.FromSeconds(10);

    private readonly Uri _uri;
    private readonly string? _discoveryIssuer;
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
        : this(uri, client, refreshInterval, timeProvider, logger, discoveryIssuer: null)
    {
    }

    /// <summary>With <paramref name="discoveryIssuer"/> set, <paramref name="uri"/> is that issuer's OIDC discovery document.</summary>
    public RemoteJwks(Uri uri, HttpClient client, TimeSpan refreshInterval, TimeProvider timeProvider, ILogger logger, string? discoveryIssuer)
    {
        _uri = uri;
        _discoveryIssuer = discoveryIssuer;
        _client = client;
        _timeProvider = timeProvider;
        _logger = logger;
        _lastAttempt = long.MinValue;
        _lastKidRefetch = long.MinValue;
        _refreshTimer = timeProvider.CreateTimer(static state => _ = ((RemoteJwks)state!).FetchAsync(), this, refreshInterval, refreshInterval);
    }

    /// <summary>The <c>jwksUri</c>, or the OIDC discovery document's URI when <see cref="IsDiscovery"/>.</summary>
    public Uri Uri => _uri;

    public bool IsDiscovery => _discoveryIssuer is not null;

    /// <summary><c>&lt;issuer without trailing slash&gt;/.well-known/openid-configuration</c>; null when the issuer is not an absolute http(s) URI.</summary>
    public static Uri? DiscoveryUriOf(string issuer)
        => Uri.TryCreate(issuer.TrimEnd('/') + "/.well-known/openid-configuration", UriKind.Absolute, out var uri) && IsHttp(uri) ? uri : null;

    /// <summary>An absolute http or https URI with a host.</summary>
    public static bool IsHttp(Uri uri)
        => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

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
        var jwksUri = _uri;
        try
        {
            if (_discoveryIssuer is not null)
            {
                var document = await _client.GetStringAsync(_uri).ConfigureAwait(false);
                if (!TryReadDiscovery(document, _discoveryIssuer, out var discovered, out var discoveryError))
                {
                    JwtLog.JwksRejected(_logger, _uri, "OIDC discovery document: " + discoveryError);
                    return;
                }

                jwksUri = discovered;
            }

            var json = await _client.GetStringAsync(jwksUri).ConfigureAwait(false);
            if (JwtKeySet.TryParse(json, allowSymmetric: false, out var keys, out var error))
            {
                _current = keys;
                JwtLog.JwksFetched(_logger, jwksUri, keys.Keys.Count);
            }
            else
            {
                JwtLog.JwksRejected(_logger, jwksUri, error!);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException or InvalidOperationException)
        {
            JwtLog.JwksFetchFailed(_logger, jwksUri, ex);
        }
    }

    /// <summary>Reads <c>jwks_uri</c> from a discovery document whose <c>issuer</c> is exactly <paramref name="issuer"/>.</summary>
    internal static bool TryReadDiscovery(string document, string issuer, out Uri jwksUri, out string error)
    {
        jwksUri = null!;
        try
        {
            using var json = JsonDocument.Parse(document);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return false;
            }

            if (!root.TryGetProperty("issuer", out var iss) || iss.ValueKind != JsonValueKind.String || !string.Equals(iss.GetString(), issuer, StringComparison.Ordinal))
            {
                error = $"issuer does not equal the rule's issuer '{issuer}'";
                return false;
            }

            if (!root.TryGetProperty("jwks_uri", out var uri) || uri.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(uri.GetString(), UriKind.Absolute, out var parsed) || !IsHttp(parsed))
            {
                error = "jwks_uri is missing or not an absolute http or https URI";
                return false;
            }

            jwksUri = parsed;
            error = "";
            return true;
        }
        catch (JsonException)
        {
            error = "invalid JSON";
            return false;
        }
    }

    private TimeSpan Elapsed(long since)
        => since == long.MinValue ? TimeSpan.MaxValue : _timeProvider.GetElapsedTime(since);
}
