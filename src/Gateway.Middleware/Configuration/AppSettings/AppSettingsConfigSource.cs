using Gateway.Middleware.Configuration.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>
/// The gateway model from an <c>IConfiguration</c> section (appsettings.json <c>Gateway</c>), reloaded when
/// the configuration reloads and the section's content actually changed.
/// </summary>
internal sealed class AppSettingsConfigSource : IGatewayConfigSource, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly string _where;
    private readonly IDisposable _subscription;
    private CancellationTokenSource _changed = new();
    private string? _loaded;
    private bool _seen;

    public AppSettingsConfigSource(IConfiguration configuration)
    {
        _configuration = configuration;
        var path = (configuration as IConfigurationSection)?.Path ?? "";
        _where = path.Length > 0 ? path : "the configuration root";
        Name = "configuration:" + path;

        // The reload token is the whole configuration's: it fires for every provider reload, including a
        // Logging level edited in the same file. Only a change to this section reloads the gateway, so
        // unrelated edits do not rebuild upstream connection pools.
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, OnConfigurationReloaded);
    }

    public string Name { get; }

    public ConfigSourceResult Load()
    {
        var root = ConfigNode.Read(_configuration);
        Volatile.Write(ref _loaded, root.Fingerprint());
        if (root.IsEmpty)
        {
            // A JSON file that is deleted, or fails to parse on reload, leaves its keys empty; serving an empty
            // gateway then would turn every request into a 404. Once seen, the section must stay.
            return _seen
                ? new ConfigSourceResult(Empty, [$"{_where}: the section is gone (file deleted, or no longer valid JSON?); to remove every route keep the section, e.g. \"Routes\": []"], [])
                : new ConfigSourceResult(Empty, [], [$"{_where}: the section is missing or empty; nothing was loaded from it"]);
        }

        _seen = true;
        return AppSettingsModelBuilder.Build(root);
    }

    public IChangeToken Watch() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public void Dispose() => _subscription.Dispose();

    private void OnConfigurationReloaded()
    {
        if (ConfigNode.Read(_configuration).Fingerprint() == Volatile.Read(ref _loaded))
        {
            return;
        }

        // Not disposed: a watcher may still be reading the old source's token; it holds no timer or handle.
        Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
    }

    private static GatewayConfig Empty { get; } = new([], []);
}
