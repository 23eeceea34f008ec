using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// One <see cref="RemoteJwks"/> per <c>jwksUri</c> for the life of the app, so a configuration reload keeps
/// its cached keys and rules naming the same URI share one cache; one per issuer using OIDC discovery.
/// </summary>
internal sealed class JwksProvider : IDisposable
{
    private readonly ConcurrentDictionary<string, RemoteJwks> _sources = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Func<TimeSpan, HttpClient> _clientFactory;

    public JwksProvider(TimeProvider timeProvider, ILoggerFactory? loggerFactory)
        : this(timeProvider, loggerFactory, JwksFetcher.CreateClient)
    {
    }

    public JwksProvider(TimeProvider timeProvider, ILoggerFactory? loggerFactory, Func<TimeSpan, HttpClient> clientFactory)
    {
        _timeProvider = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Gateway.Middleware.Authentication");
        _clientFactory = clientFactory;
    }

    public RemoteJwks Get(Uri uri, TimeSpan timeout, TimeSpan refreshInterval)
        => _sources.GetOrAdd(uri.AbsoluteUri, _ => new RemoteJwks(uri, _clientFactory(timeout), refreshInterval, _timeProvider, _logger));

    /// <summary>The keys of <paramref name="issuer"/> found through its OIDC discovery document (validated: an absolute http(s) URI).</summary>
    public RemoteJwks GetDiscovered(string issuer, TimeSpan timeout, TimeSpan refreshInterval)
        => _sources.GetOrAdd("discovery " + issuer, _ => new RemoteJwks(
            RemoteJwks.DiscoveryUriOf(issuer) ?? throw new ArgumentException($"issuer '{issuer}' is not an absolute http or https URI", nameof(issuer)),
            _clientFactory(timeout), refreshInterval, _timeProvider, _logger, issuer));

    public void Dispose()
    {
        foreach (var source in _sources.Values)
        {
            source.Dispose();
        }
    }
}
