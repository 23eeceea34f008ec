using Gateway.Middleware.Configuration.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Configuration;

/// <summary>
/// Holds the current <see cref="GatewaySnapshot"/>. A new configuration is merged from the builder and
/// every source, validated as a whole and compiled beside the old one, then swapped in with one reference
/// write; requests already running finish on the snapshot they started with. A configuration that fails
/// never replaces a good one.
/// </summary>
internal sealed class GatewayConfigProvider : IGatewayConfigMonitor, IDisposable
{
    /// <summary>Editors save files in several writes; wait for them to settle before reloading.</summary>
    internal static readonly TimeSpan ReloadDelay = TimeSpan.FromMilliseconds(300);

    private readonly GatewayConfig _declared;
    private readonly IGatewayConfigSource[] _sources;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Tls.ServerTlsCompiler _tls;
    private readonly Upstreams.Tls.UpstreamTlsServices? _upstreamTls;
    private readonly Diagnostics.GatewayMetrics? _metrics;
    private readonly IReadOnlyList<UpstreamOverride> _overrides;
    private readonly List<IDisposable> _watches = [];
    private readonly Lock _reloadLock = new();
    private volatile GatewaySnapshot _current;
    private ITimer? _pendingReload;
    private long _generation;
    private IReadOnlyList<string> _lastErrors = [];

    public GatewayConfigProvider(GatewayConfig initial)
        : this(initial, [], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System)
    {
    }

    public GatewayConfigProvider(GatewayConfig declared, IEnumerable<IGatewayConfigSource> sources, ILogger logger, TimeProvider timeProvider, Tls.ServerTlsCompiler? tls = null, Upstreams.Tls.UpstreamTlsServices? upstreamTls = null, Diagnostics.GatewayMetrics? metrics = null, GatewayUpstreamOverrideOptions? overrides = null)
    {
        _metrics = metrics;
        _overrides = overrides?.Overrides ?? [];
        _tls = tls ?? new Tls.ServerTlsCompiler(new Tls.GatewayTlsOptions(), logger, timeProvider);
        _upstreamTls = upstreamTls;
        _declared = declared;
        _sources = [.. sources];
        _logger = logger;
        _timeProvider = timeProvider;

        // At start an invalid configuration stops the app: throw with every error listed.
        _current = Build(out var warnings);
        _generation = 1;
        foreach (var warning in warnings)
        {
            ConfigLog.Warning(_logger, warning);
        }

        metrics?.ObserveUpstreams(() => _current);
        foreach (var source in _sources)
        {
            _watches.Add(ChangeToken.OnChange(source.Watch, ScheduleReload));
        }
    }

    public GatewaySnapshot Current => _current;

    /// <inheritdoc />
    public long Generation => Interlocked.Read(ref _generation);

    /// <inheritdoc />
    public IReadOnlyList<string> LastRejectedErrors => Volatile.Read(ref _lastErrors);

    /// <inheritdoc />
    public event EventHandler<GatewayConfigReloadedEventArgs>? Reloaded;

    /// <summary>Compiles and swaps in <paramref name="config"/> alone; throws and keeps the current one if it is invalid.</summary>
    public void Update(GatewayConfig config)
    {
        var errors = GatewayConfigValidator.Validate(config);
        var tls = errors.Count == 0 ? _tls.Compile(config.Servers, errors) : null;
        if (errors.Count > 0)
        {
            _metrics?.ConfigReloaded(ok: false);
            throw new GatewayConfigurationException(errors);
        }

        var next = Authentication.JwtRuleSet.Attach(GatewayConfigCompiler.Compile(config, tls, _upstreamTls, _timeProvider, _logger, _metrics), config.JwtRules);
        Swap(next);
        _metrics?.ConfigReloaded(ok: true);
    }

    /// <summary>Reloads every source now. Returns false (and keeps serving the last good config) when it is invalid.</summary>
    public bool Reload()
    {
        lock (_reloadLock)
        {
            GatewaySnapshot next;
            IReadOnlyList<string> warnings;
            try
            {
                next = Build(out warnings);
            }
            catch (GatewayConfigurationException ex)
            {
                Volatile.Write(ref _lastErrors, ex.Errors);
                ConfigLog.Rejected(_logger, ex.Errors.Count, string.Join(Environment.NewLine, ex.Errors));
                _metrics?.ConfigReloaded(ok: false);
                Reloaded?.Invoke(this, new GatewayConfigReloadedEventArgs(false, ex.Errors));
                return false;
            }

            foreach (var warning in warnings)
            {
                ConfigLog.Warning(_logger, warning);
            }

            Swap(next);
            Volatile.Write(ref _lastErrors, []);
            ConfigLog.Loaded(_logger, Generation);
            _metrics?.ConfigReloaded(ok: true);
            Reloaded?.Invoke(this, new GatewayConfigReloadedEventArgs(true, []));
            return true;
        }
    }

    public void Dispose()
    {
        _pendingReload?.Dispose();
        foreach (var watch in _watches)
        {
            watch.Dispose();
        }

        foreach (var source in _sources)
        {
            (source as IDisposable)?.Dispose();
        }

        _current.Dispose();
    }

    private GatewaySnapshot Build(out IReadOnlyList<string> warnings)
    {
        var errors = new List<string>();
        var allWarnings = new List<string>();
        var routes = new List<RouteConfig>(_declared.Routes);
        var upstreams = new List<UpstreamConfig>(_declared.Upstreams);
        var servers = new List<ServerConfig>(_declared.Servers);
        var authorizationPolicies = new List<Authorization.AuthorizationPolicyConfig>(_declared.AuthorizationPolicies);
        var jwtRules = new List<Authentication.JwtRuleConfig>(_declared.JwtRules);
        foreach (var source in _sources)
        {
            var result = source.Load();
            errors.AddRange(result.Errors);
            allWarnings.AddRange(result.Warnings);
            routes.AddRange(result.Config.Routes);
            upstreams.AddRange(result.Config.Upstreams);
            servers.AddRange(result.Config.Servers);
            authorizationPolicies.AddRange(result.Config.AuthorizationPolicies);
            jwtRules.AddRange(result.Config.JwtRules);
        }

        RemoveReplacedPlaceholders(upstreams, allWarnings);
        UpstreamOverrides.Apply(upstreams, _overrides, errors);
        var merged = new GatewayConfig(routes, upstreams) { Servers = servers, AuthorizationPolicies = authorizationPolicies, JwtRules = jwtRules };
        errors.AddRange(GatewayConfigValidator.Validate(merged));

        // Certificate files are loaded once the model is known to be valid; one that cannot be read is an error.
        var tls = errors.Count == 0 ? _tls.Compile(merged.Servers, errors) : null;
        if (errors.Count > 0)
        {
            throw new GatewayConfigurationException(errors);
        }

        allWarnings.AddRange(Authentication.JwtRuleValidator.Warnings(jwtRules));
        warnings = allWarnings;
        return Authentication.JwtRuleSet.Attach(GatewayConfigCompiler.Compile(merged, tls, _upstreamTls, _timeProvider, _logger, _metrics), merged.JwtRules);
    }

    /// <summary>
    /// A YAML source stands in for destination hosts it does not declare; a declaration from any source replaces
    /// the stand-in, and stand-ins for the same host from several sources are one. What DestinationRules gave a
    /// stand-in is kept: the declaration takes its subsets (those it does not declare itself) and its top-level
    /// traffic policy (when it has none, else a warning); stand-ins merge the same way, the earlier source first.
    /// </summary>
    internal static void RemoveReplacedPlaceholders(List<UpstreamConfig> upstreams, List<string>? warnings = null)
    {
        var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var upstream in upstreams)
        {
            if (!upstream.IsPlaceholder)
            {
                declared.Add(upstream.Name);
            }
        }

        var kept = new List<UpstreamConfig>(upstreams.Count);
        var at = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var replaced = new List<UpstreamConfig>();
        foreach (var upstream in upstreams)
        {
            if (upstream.IsPlaceholder && declared.Contains(upstream.Name))
            {
                replaced.Add(upstream);
            }
            else if (upstream.IsPlaceholder && at.TryGetValue(upstream.Name, out var first))
            {
                kept[first] = MergeDestinationRules(kept[first], upstream, warnings);
            }
            else
            {
                // Duplicate declarations are left for validation to report; stand-ins merge into the first.
                at.TryAdd(upstream.Name, kept.Count);
                kept.Add(upstream);
            }
        }

        foreach (var placeholder in replaced)
        {
            var index = at[placeholder.Name];
            kept[index] = MergeDestinationRules(kept[index], placeholder, warnings);
        }

        upstreams.Clear();
        upstreams.AddRange(kept);
    }

    /// <summary>
    /// <paramref name="target"/> with the DestinationRule subsets and policy of a stand-in for the same host.
    /// Subsets a stand-in made up for names its routes use (no rule declares them) are only carried between
    /// stand-ins: a declaration without that subset is left for validation to report.
    /// </summary>
    private static UpstreamConfig MergeDestinationRules(UpstreamConfig target, UpstreamConfig placeholder, List<string>? warnings)
    {
        var policy = target.TrafficPolicy;
        var protocol = target.Protocol;
        if (placeholder.TrafficPolicy is { } taken)
        {
            if (policy is null)
            {
                policy = taken;

                // The rule's h2UpgradePolicy: UPGRADE made its stand-in HTTP/2; it upgrades the declaration too.
                protocol = placeholder.Protocol == Upstreams.UpstreamProtocol.Http2 ? placeholder.Protocol : protocol;
            }
            else
            {
                var where = taken.SourcePath.Length == 0 ? taken.Source : $"{taken.Source}: {taken.SourcePath}";
                warnings?.Add($"{where}: ignored for '{target.Name}': {Describe("upstream", target.Name, target.Source)} has its own traffic policy");
            }
        }


        var subsets = new List<SubsetConfig>(target.Subsets);
        foreach (var subset in placeholder.Subsets)
        {
            var synthetic = subset.Labels.ContainsKey(Yaml.YamlModelBuilder.UnresolvedSubsetLabel);
            var existing = subsets.FindIndex(s => s.Name == subset.Name);
            if (existing < 0)
            {
                if (target.IsPlaceholder || !synthetic)
                {
                    subsets.Add(subset);
                }
            }
            else if (!synthetic && subsets[existing].Labels.ContainsKey(Yaml.YamlModelBuilder.UnresolvedSubsetLabel))
            {
                // A rule's subset beats a stand-in's made-up one.
                subsets[existing] = subset;
            }
        }

        return target with { Subsets = subsets, TrafficPolicy = policy, Protocol = protocol };
    }

    private static string Describe(string kind, string name, string source) => source.Length > 0 ? source : $"{kind} '{name}'";

    private void Swap(GatewaySnapshot next)
    {
        // Requests already running keep the old snapshot; its pooled connections are left to drain and
        // close on their idle timeout rather than being cut under in-flight requests.
        _current = next;
        Interlocked.Increment(ref _generation);
    }

    private void ScheduleReload()
    {
        lock (_reloadLock)
        {
            _pendingReload?.Dispose();
            _pendingReload = _timeProvider.CreateTimer(static state => ((GatewayConfigProvider)state!).Reload(), this, ReloadDelay, Timeout.InfiniteTimeSpan);
        }
    }
}
