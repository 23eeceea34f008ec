using System.Net;
using System.Runtime.CompilerServices;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Memory;

namespace IstioGateway;

/// <summary>
/// The Istio ingress gateway as an ASP.NET Core app: loads Istio / Gateway API YAML (watched, hot reloaded),
/// listens on every port its servers and listeners name, answers <c>/healthz/ready</c> on a separate status
/// port, and writes Envoy's access log. Build it with <see cref="BuildAsync(string[], Action{WebApplicationBuilder}?)"/>
/// to run it in-process (tests), or run <see cref="RunAsync"/> as <c>Main</c> does.
/// </summary>
public sealed partial class IstioGatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StrongBox<ListenOptions?> _status;
    private readonly HashSet<int> _bound;
    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Gateway.Middleware.Forwarding"] = "Warning",
        // ASP.NET Core's per-request "Request starting/finished" category: the access log says the same, and while
        // this category is enabled at any level hosting creates an Activity and a log scope for every request
        // (about 0.9 KB allocated per request; docs/performance.md). Set it in appsettings.json to get them back.
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
        ["Logging:Console:FormatterName"] = "simple",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
    };

    private volatile bool _ready;

    private IstioGatewayHost(WebApplication app, IstioGatewayOptions options, StrongBox<ListenOptions?> status, IReadOnlyList<int> ports)
    {
        _app = app;
        _status = status;
        Options = options;
        GatewayPorts = ports;
        _bound = [.. ports];
    }

    /// <summary>The parsed command line.</summary>
    public IstioGatewayOptions Options { get; }

    /// <summary>The gateway ports the host listens on (the configuration's server and listener ports, TLS ones included).</summary>
    public IReadOnlyList<int> GatewayPorts { get; }

    /// <summary>The status port; the port actually bound once started when <c>--status-port 0</c> was given.</summary>
    public int StatusPort => _status.Value?.EndPoint is IPEndPoint endpoint ? endpoint.Port : Options.StatusPort;

    /// <summary>Whether <c>/healthz/ready</c> answers 200: the configuration is loaded and every port is bound.</summary>
    public bool IsReady => _ready;

    /// <summary>The app's services (e.g. <see cref="IGatewayConfigMonitor"/>).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Parses the command line, loads and validates the configuration, and builds the app without starting it.
    /// </summary>
    /// <param name="args">The command line (see <see cref="IstioGatewayOptions.Usage"/>).</param>
    /// <param name="configure">Adjusts the app builder before the gateway is added (logging, test services).</param>
    /// <exception cref="ArgumentException">The command line is invalid.</exception>
    /// <exception cref="FileNotFoundException">Nothing exists at the <c>--config</c> path.</exception>
    /// <exception cref="GatewayConfigurationException">The configuration is invalid; <see cref="GatewayConfigurationException.Errors"/> lists every error.</exception>
    public static Task<IstioGatewayHost> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!IstioGatewayOptions.TryParse(args, out var options, out var error))
        {
            throw new ArgumentException(error, nameof(args));
        }

        return Task.FromResult(Build(options!, configure));
    }

    /// <summary>
    /// Runs the host until Ctrl+C or SIGTERM. Returns 0 when it stopped, 1 when the configuration is invalid
    /// (every error printed to <paramref name="error"/>, one per line) or a port cannot be bound, 2 when the
    /// command line is invalid (usage printed).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Any(a => a is "-h" or "--help"))
        {
            await output.WriteLineAsync(IstioGatewayOptions.Usage);
            return 0;
        }

        if (!IstioGatewayOptions.TryParse(args, out var options, out var reason))
        {
            await error.WriteLineAsync($"IstioGateway: {reason}");
            await error.WriteLineAsync(IstioGatewayOptions.Usage);
            return 2;
        }

        IstioGatewayHost host;
        try
        {
            host = Build(options!, configure: null);
        }
        catch (GatewayConfigurationException ex)
        {
            await error.WriteLineAsync($"IstioGateway: the configuration at {options!.ConfigPath} is invalid ({ex.Errors.Count} error{(ex.Errors.Count == 1 ? "" : "s")}):");
            foreach (var line in ex.Errors)
            {
                await error.WriteLineAsync(line);
            }

            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            await error.WriteLineAsync($"IstioGateway: {ex.Message}");
            return 1;
        }

        await using (host)
        {
            try
            {
                await host.StartAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                // Kestrel reports a port in use or an address it cannot bind as an IOException.
                await error.WriteLineAsync($"IstioGateway: cannot listen: {ex.Message}");
                return 1;
            }

            await host._app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
    }

    /// <summary>Binds every port and starts serving; <c>/healthz/ready</c> answers 200 once this completes.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Stops accepting requests (readiness turns 503 first) and lets in-flight ones finish.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static IstioGatewayHost Build(IstioGatewayOptions options, Action<WebApplicationBuilder>? configure)
    {
        var configPath = Path.GetFullPath(options.ConfigPath);
        if (!File.Exists(configPath) && !Directory.Exists(configPath))
        {
            throw new FileNotFoundException($"no YAML file or folder at '{configPath}'", configPath);
        }

        // Kestrel binds before the gateway loads its model, so the ports are read from the YAML first; errors
        // are left to the full load below, which reports them all.
        var declared = GatewayYamlFile.ReadServerPorts(configPath);
        var ports = declared.Select(p => p.Port).ToList();
        var tlsPorts = declared.Where(p => p.Tls).Select(p => p.Port).ToList();
        var secretsPath = options.SecretsPath is null ? null : Path.GetFullPath(options.SecretsPath);
        if (secretsPath is not null && !Directory.Exists(secretsPath))
        {
            throw new DirectoryNotFoundException($"--secrets: no folder at '{secretsPath}'");
        }
        if (options.StatusPort != 0 && declared.Any(p => p.Port == options.StatusPort))
        {
            throw new ArgumentException($"--status-port {options.StatusPort} is also a gateway port in the configuration");
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });

        // Defaults below every other source, so appsettings.json or Logging__LogLevel__* variables override them:
        // one line per log entry, the access log and configuration events, no per-request framework chatter and
        // no forwarding exceptions (the access log's response flags say why a request failed).
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });

        // Kestrel creates its listen options when the server starts; the status endpoint's port is read from
        // them so that --status-port 0 resolves to the port actually bound.
        var status = new StrongBox<ListenOptions?>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // A gateway streams bodies of any size (Envoy sets no limit) and passes the upstream's Server header on.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
            foreach (var port in ports)
            {
                if (tlsPorts.Contains(port))
                {
                    // The server's certificate is chosen per connection by SNI from the current configuration; ALPN
                    // offers HTTP/2 and HTTP/1.1.
                    kestrel.Listen(options.Address, port, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http1AndHttp2;
                        listen.UseGatewayTls();
                    });
                }
                else
                {
                    // Without TLS there is no ALPN to pick HTTP/2, so a port serves HTTP/1.1 (h2c needs its own port).
                    kestrel.Listen(options.Address, port, listen => listen.Protocols = HttpProtocols.Http1);
                }
            }

            kestrel.Listen(options.Address, options.StatusPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                status.Value = listen;
            });
        });

        configure?.Invoke(builder);
        AddTelemetry(builder);
        builder.Services.AddGateway()
            .ConfigureTls(tls => tls.SecretsDirectory = secretsPath)
            .LoadIstioYaml(configPath, watch: true);

        var app = builder.Build();
        IGatewayConfigMonitor monitor;
        try
        {
            // Loads and validates the configuration now, so an invalid one fails before a port is bound.
            monitor = app.Services.GetRequiredService<IGatewayConfigMonitor>();
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        var host = new IstioGatewayHost(app, options with { ConfigPath = configPath, SecretsPath = secretsPath }, status, ports);
        host.Configure(monitor, tlsPorts);
        return host;
    }

    private void Configure(IGatewayConfigMonitor monitor, List<int> tlsPorts)
    {
        var app = _app;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IstioGateway");

        // The status port never reaches the gateway: Envoy serves it from a listener of its own. Its endpoints
        // (readiness, Prometheus, config dump) are only ever matched on that port.
        app.MapWhen(context => context.Connection.LocalPort == StatusPort, status =>
        {
            status.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == "/stats/prometheus");
            // Endpoint routing local to this branch (the app's own data sources stay empty, so WebApplication adds
            // no routing in front of the gateway).
            status.UseRouting();
            status.UseEndpoints(endpoints => endpoints.MapGatewayConfigDump("/config_dump"));
            status.Run(HandleStatusAsync);
        });
        // Istio's gateway log line (Envoy's default plus code details, upstream cluster, addresses, SNI, route).
        app.UseGatewayAccessLog(options => options.Format = Gateway.Middleware.Diagnostics.GatewayAccessLogOptions.IstioFormat);
        app.UseGateway();

        monitor.Reloaded += (_, e) =>
        {
            if (e.Applied)
            {
                WarnAboutNewPorts(logger);
            }
        };

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            _ready = true;
            IstioGatewayLog.Listening(logger, Options.Address.ToString(), GatewayPorts.Count == 0 ? "(none)" : string.Join(", ", GatewayPorts), StatusPort, Options.ConfigPath);
            if (GatewayPorts.Count == 0)
            {
                IstioGatewayLog.NoPorts(logger);
            }

            if (tlsPorts.Count > 0)
            {
                IstioGatewayLog.TlsPorts(logger, string.Join(", ", tlsPorts));
            }
        });
        app.Lifetime.ApplicationStopping.Register(() => _ready = false);
    }

    private Task HandleStatusAsync(HttpContext context)
    {
        var response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        switch (context.Request.Path.Value)
        {
            case "/healthz/ready":
                response.StatusCode = _ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                break;
            case "/healthz/live":
                response.StatusCode = StatusCodes.Status200OK;
                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }

        return Task.CompletedTask;
    }

    private void WarnAboutNewPorts(ILogger logger)
    {
        try
        {
            var added = GatewayYamlFile.ReadServerPorts(Options.ConfigPath).Where(p => !_bound.Contains(p.Port)).Select(p => p.Port).ToList();
            if (added.Count > 0)
            {
                IstioGatewayLog.PortsNeedRestart(logger, string.Join(", ", added));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            IstioGatewayLog.PortsUnreadable(logger, ex);
        }
    }
}
