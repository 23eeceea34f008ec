using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>
/// The processes under test and the targets on them. A process starts only when a selected target needs it.
/// </summary>
internal sealed class Apps
{
    private readonly RunOptions _options;
    private readonly ChildProcesses _children;
    private readonly string _work;
    private readonly Tools _tools;
    private readonly Dictionary<string, Process> _started = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);
    private readonly Queue<int> _free;
    private readonly JwtMaterial _jwt = JwtMaterial.Create();
    private readonly string _jwksFile;

    public Apps(RunOptions options, ChildProcesses children, string work, Tools tools)
    {
        _options = options;
        _children = children;
        _work = work;
        _tools = tools;
        _free = new Queue<int>(Ports.Reserve(40));
        _jwksFile = Path.Combine(work, "jwks.json");
        File.WriteAllText(_jwksFile, _jwt.Jwks);
    }

    /// <summary>Process id → the name of its log file.</summary>
    public static ConcurrentDictionary<int, string> ProcessNames { get; } = new();

    public List<Target> Plan(Action<string> say)
    {
        var istioDll = _options.IstioGatewayDll ?? DefaultIstioGatewayDll();
        var haveIstio = File.Exists(istioDll);
        var specs = new List<(string Scenario, string Name, Func<Target> Create, string? Missing)>
        {
            ("plain", "direct Kestrel upstream", () => T("plain", "direct Kestrel upstream", Port("upstream"), Bench.Host, Upstream(), null, false), null),
            ("plain", "direct nginx (return 200)", () => T("plain", "direct nginx (return 200)", Port("nginx-direct"), Bench.Host, Nginx(), null, false), Need(_tools.Nginx, "nginx")),
            ("plain", "gateway (IstioGateway YAML)", () => T("plain", "gateway (IstioGateway YAML)", Port("gw-yaml"), Bench.Host, IstioGateway("gw-yaml", jwt: false, istioDll), "gw-yaml", true), haveIstio ? null : $"{istioDll} not built (dotnet build -c Release samples/IstioGateway)"),
            ("plain", "gateway (Program.cs)", () => T("plain", "gateway (Program.cs)", Port("gw"), Bench.Host, DotNetApp("gw", "gateway", jwt: false), "gw", true), null),
            ("plain", "gateway (Program.cs) + telemetry", () => T("plain", "gateway (Program.cs) + telemetry", Port("gw-otel"), Bench.Host, DotNetApp("gw-otel", "gateway", jwt: false, telemetry: true), "gw-otel", true), null),
            ("plain", "YARP", () => T("plain", "YARP", Port("yarp"), Bench.Host, DotNetApp("yarp", "yarp", jwt: false), "yarp", true), null),
            ("plain", "nginx proxy", () => T("plain", "nginx proxy", Port("nginx-proxy"), Bench.Host, Nginx(), null, true), Need(_tools.Nginx, "nginx")),
            ("plain", "haproxy", () => T("plain", "haproxy", Port("haproxy"), Bench.Host, Haproxy(), null, true), Need(_tools.Haproxy, "haproxy")),
            ("jwt", "gateway (IstioGateway YAML) + JWT", () => T("jwt", "gateway (IstioGateway YAML) + JWT", Port("gw-yaml-jwt"), Bench.Host, IstioGateway("gw-yaml-jwt", jwt: true, istioDll), "gw-yaml-jwt", true), haveIstio ? null : $"{istioDll} not built"),
            ("jwt", "gateway (Program.cs) + JWT", () => T("jwt", "gateway (Program.cs) + JWT", Port("gw-jwt"), Bench.Host, DotNetApp("gw-jwt", "gateway", jwt: true), "gw-jwt", true), null),
            ("jwt", "YARP + JwtBearer", () => T("jwt", "YARP + JwtBearer", Port("yarp-jwt"), Bench.Host, DotNetApp("yarp-jwt", "yarp", jwt: true), "yarp-jwt", true), null),
            ("h2", "direct Kestrel upstream h2c", () => T("h2", "direct Kestrel upstream h2c", Port("upstream-h2"), Bench.H2Host, Upstream(), null, false), null),
            ("h2", "gateway (Program.cs) h2c", () => T("h2", "gateway (Program.cs) h2c", Port("gw-h2"), Bench.H2Host, DotNetApp("gw", "gateway", jwt: false), "gw", true), null),
            ("h2", "YARP h2c", () => T("h2", "YARP h2c", Port("yarp-h2"), Bench.H2Host, DotNetApp("yarp", "yarp", jwt: false), "yarp", true), null),
            ("h2", "haproxy h2c", () => T("h2", "haproxy h2c", Port("haproxy-h2"), Bench.H2Host, Haproxy(), null, true), Need(_tools.Haproxy, "haproxy")),
            ("grpc", "direct Kestrel upstream gRPC", () => T("grpc", "direct Kestrel upstream gRPC", Port("upstream-h2"), Bench.H2Host, Upstream(), null, false), null),
            ("grpc", "gateway (Program.cs) gRPC", () => T("grpc", "gateway (Program.cs) gRPC", Port("gw-h2"), Bench.H2Host, DotNetApp("gw", "gateway", jwt: false), "gw", false), null),
            ("grpc", "YARP gRPC", () => T("grpc", "YARP gRPC", Port("yarp-h2"), Bench.H2Host, DotNetApp("yarp", "yarp", jwt: false), "yarp", false), null),
            ("grpc", "haproxy gRPC", () => T("grpc", "haproxy gRPC", Port("haproxy-h2"), Bench.H2Host, Haproxy(), null, false), Need(_tools.Haproxy, "haproxy")),
        };

        var targets = new List<Target>();
        foreach (var (scenario, name, create, missing) in specs)
        {
            if (!_options.Scenarios.Contains(scenario) ||
                (_options.Only.Count > 0 && !_options.Only.Any(o => name.Contains(o, StringComparison.OrdinalIgnoreCase))))
            {
                continue;
            }

            var tool = scenario is "h2" or "grpc" ? _tools.H2Load : _tools.Wrk;
            if (tool is null)
            {
                say($"skipped {name}: {(tool == _tools.Wrk ? "wrk" : "h2load")} not installed");
                continue;
            }

            if (missing is not null)
            {
                say($"skipped {name}: {missing}");
                continue;
            }

            targets.Add(create());
        }

        if (_options.Scenarios.Contains("h2") || _options.Scenarios.Contains("grpc"))
        {
            say("note: the IstioGateway host serves HTTP/1.1 only on plain-text ports (h2c needs a listener of its own), and nginx cannot proxy to an h2c upstream: neither is in the h2 and grpc scenarios");
        }

        return targets;
    }

    private Target T(string scenario, string name, int port, string host, Process process, string? allocKey, bool expectNotFound) =>
        new(name, scenario, port, host, scenario == "jwt" ? _jwt.Token : null, process, allocKey is null ? null : Port("alloc-" + allocKey), expectNotFound);

    private static string? Need(string? tool, string name) => tool is null ? $"{name} not installed (apt-get install {name})" : null;

    private int Port(string key)
    {
        if (!_ports.TryGetValue(key, out var port))
        {
            port = _free.Dequeue();
            _ports[key] = port;
        }

        return port;
    }

    private Process Upstream() => Start("upstream", () => _children.Start("upstream", Orchestrator.DotNetHost(),
        [Orchestrator.SelfDll(), "upstream", "--port", P("upstream"), "--h2-port", P("upstream-h2")], Hook(null)));

    private Process DotNetApp(string key, string verb, bool jwt, bool telemetry = false)
    {
        Upstream();
        return Start(key, () =>
        {
            var args = new List<string> { Orchestrator.SelfDll(), verb, "--port", P(key), "--upstream", $"http://127.0.0.1:{P("upstream")}" };
            if (jwt)
            {
                args.AddRange(["--jwks", _jwksFile]);
            }
            else if (telemetry)
            {
                args.AddRange(["--telemetry", "on"]);
            }
            else
            {
                args.AddRange(["--h2-port", P(key + "-h2"), "--upstream-h2", $"http://127.0.0.1:{P("upstream-h2")}"]);
            }

            return _children.Start(key, Orchestrator.DotNetHost(), args, Hook("alloc-" + key));
        });
    }

    private Process IstioGateway(string key, bool jwt, string dll)
    {
        Upstream();
        return Start(key, () =>
        {
            var dir = Directory.CreateDirectory(Path.Combine(_work, key)).FullName;
            File.WriteAllText(Path.Combine(dir, "bench.yaml"), ConfigFiles.IstioYaml(Port(key), Port("upstream"), jwt ? _jwt.Jwks : null));
            var environment = Hook("alloc-" + key);

            // Istio's default profile writes no access log (meshConfig.accessLogFile is empty); the sample host
            // logs one line per request unless its category is turned off.
            environment["Logging__LogLevel__Gateway.Middleware.AccessLog"] = "None";
            return _children.Start(key, Orchestrator.DotNetHost(),
                [dll, "--config", dir, "--address", "127.0.0.1", "--status-port", P(key + "-status")], environment);
        });
    }

    private Process Nginx()
    {
        Upstream();
        return Start("nginx", () =>
        {
            var dir = Directory.CreateDirectory(Path.Combine(_work, "nginx")).FullName;
            var conf = Path.Combine(dir, "nginx.conf");
            File.WriteAllText(conf, ConfigFiles.Nginx(dir, Port("nginx-direct"), Port("nginx-proxy"), Port("upstream")));
            return _children.Start("nginx", _tools.Nginx!, ["-c", conf, "-p", dir, "-e", Path.Combine(dir, "nginx-error.log")]);
        });
    }

    private Process Haproxy()
    {
        Upstream();
        return Start("haproxy", () =>
        {
            var conf = Path.Combine(_work, "haproxy.cfg");
            File.WriteAllText(conf, ConfigFiles.Haproxy(Port("haproxy"), Port("haproxy-h2"), Port("upstream"), Port("upstream-h2")));
            return _children.Start("haproxy", _tools.Haproxy!, ["-f", conf, "-db"]);
        });
    }

    /// <summary>
    /// The IstioGateway host with 1,000 rules (999 path rules before the bench rule) for the reload measurement: the
    /// target, a function that rewrites its configuration as generation <c>n</c>, and its config dump URL.
    /// </summary>
    public (Target Target, Action<int> Rewrite, Uri ConfigDump)? ReloadTarget(Action<string> say)
    {
        var istioDll = _options.IstioGatewayDll ?? DefaultIstioGatewayDll();
        if (!File.Exists(istioDll) || _tools.Wrk is null)
        {
            say($"skipped the reload measurement: {(_tools.Wrk is null ? "wrk not installed" : istioDll + " not built")}");
            return null;
        }

        const string key = "gw-yaml-1k";
        var file = Path.Combine(_work, key, "bench.yaml");
        void Rewrite(int generation)
        {
            // Written beside and moved over, as kubelet's ConfigMap update swaps a whole file: the host never reads half.
            var temp = Path.Combine(_work, key + ".tmp");
            File.WriteAllText(temp, ConfigFiles.IstioYaml(Port(key), Port("upstream"), null, ReloadFillerRules, generation));
            File.Move(temp, file, overwrite: true);
        }

        Upstream();
        var process = Start(key, () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            Rewrite(0);
            var environment = Hook("alloc-" + key);
            environment["Logging__LogLevel__Gateway.Middleware.AccessLog"] = "None";
            return _children.Start(key, Orchestrator.DotNetHost(),
                [istioDll, "--config", Path.GetDirectoryName(file)!, "--address", "127.0.0.1", "--status-port", P(key + "-status")], environment);
        });
        var target = T("reload", "gateway (IstioGateway YAML), 1,000 rules", Port(key), Bench.Host, process, key, true);
        return (target, Rewrite, new Uri($"http://127.0.0.1:{P(key + "-status")}/config_dump"));
    }

    /// <summary>Rules before the bench rule in the reload measurement's configuration (1,000 rules in all).</summary>
    public const int ReloadFillerRules = 999;

    private Process Start(string key, Func<Process> start)
    {
        if (!_started.TryGetValue(key, out var process))
        {
            process = start();
            _started[key] = process;
            ProcessNames[process.Id] = key;
        }

        return process;
    }

    private Dictionary<string, string> Hook(string? allocKey)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["DOTNET_STARTUP_HOOKS"] = Orchestrator.SelfDll() };
        if (allocKey is not null)
        {
            environment["LOADTEST_ALLOC_PORT"] = P(allocKey);
        }

        return environment;
    }

    private string P(string key) => Port(key).ToString(CultureInfo.InvariantCulture);

    private static string DefaultIstioGatewayDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.Middleware.sln")))
            {
                return Path.Combine(dir.FullName, "samples", "IstioGateway", "bin", "Release", "net10.0", "IstioGateway.dll");
            }
        }

        return "samples/IstioGateway/bin/Release/net10.0/IstioGateway.dll";
    }
}
