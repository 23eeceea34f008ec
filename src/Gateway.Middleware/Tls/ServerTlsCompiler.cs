using System.Collections.Frozen;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Hosts;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Tls;

/// <summary>
/// Compiles the servers' TLS settings into a <see cref="ServerTlsTable"/>: loads every certificate and CA
/// file (a file that cannot be loaded is a configuration error naming the server and field) and keeps one
/// <see cref="ReloadingFileValue{T}"/> per set of files across configuration reloads, so an unchanged file is
/// not re-read and its last good content survives a reload.
/// </summary>
internal sealed partial class ServerTlsCompiler
{
    private readonly GatewayTlsOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, object> _files = new(StringComparer.Ordinal);

    public ServerTlsCompiler(GatewayTlsOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    public ServerTlsTable Compile(IReadOnlyList<ServerConfig> servers, List<string> errors)
    {
        var contexts = new Dictionary<string, ServerTlsContext>(StringComparer.Ordinal);
        var redirect = new HashSet<string>(StringComparer.Ordinal);
        var ports = new SortedSet<int>();
        foreach (var server in servers)
        {
            if (server.HttpsRedirect)
            {
                redirect.Add(server.Name);
            }

            if (server.Tls && CompileServer(server, errors) is { } context)
            {
                contexts[server.Name] = context;
                if (server.Port is { } port)
                {
                    ports.Add(port);
                }
            }
        }

        if (contexts.Count == 0)
        {
            return redirect.Count == 0 ? ServerTlsTable.Empty : new ServerTlsTable(FrozenDictionary<int, ServerTlsSelector>.Empty, null, redirect.ToFrozenSet(StringComparer.Ordinal));
        }

        var byPort = new Dictionary<int, ServerTlsSelector>();
        foreach (var port in ports)
        {
            if (Selector(servers, contexts, port) is { } selector)
            {
                byPort[port] = selector;
            }
        }

        return new ServerTlsTable(byPort.ToFrozenDictionary(), Selector(servers, contexts, port: null), redirect.ToFrozenSet(StringComparer.Ordinal));
    }

    /// <summary>The TLS servers on <paramref name="port"/> (servers without a port included), or on any port when null.</summary>
    private static ServerTlsSelector? Selector(IReadOnlyList<ServerConfig> servers, Dictionary<string, ServerTlsContext> contexts, int? port)
    {
        var hosts = new List<(HostPattern, ServerTlsContext)>();
        ServerTlsContext? first = null;
        foreach (var server in servers)
        {
            if (!contexts.TryGetValue(server.Name, out var context) || (server.Port is not null && server.Port != port))
            {
                continue;
            }

            first ??= context;
            foreach (var text in server.Hosts)
            {
                if (HostPattern.TryParse(text, out var host, out _))
                {
                    hosts.Add((host, context));
                }
            }
        }

        return first is null ? null : new ServerTlsSelector([.. hosts], first);
    }

    private ServerTlsContext? CompileServer(ServerConfig server, List<string> errors)
    {
        var settings = server.TlsSettings;
        if (settings is null)
        {
            // The application's own Kestrel HTTPS settings provide the certificate; SNI still picks the server.
            return new ServerTlsContext(server.Name, ServerTlsMode.Simple, null, null, [], SslProtocols.None, _logger);
        }

        var errorCount = errors.Count;
        var certificate = Certificate(settings, errors);
        var clientCas = settings.Mode == ServerTlsMode.Simple ? null : ClientCas(settings, errors);
        if (settings.Mode != ServerTlsMode.Simple && clientCas is null && errors.Count == errorCount)
        {
            errors.Add($"{settings.Where}.caCertificates: required for mode {ModeName(settings.Mode)} (the CA that client certificates must chain to)");
        }

        if (errors.Count != errorCount)
        {
            return null;
        }

        return new ServerTlsContext(server.Name, settings.Mode, certificate, clientCas, [.. settings.SubjectAltNames], Protocols(settings), _logger);
    }

    internal static string ModeName(ServerTlsMode mode) => mode switch
    {
        ServerTlsMode.Mutual => "MUTUAL",
        ServerTlsMode.OptionalMutual => "OPTIONAL_MUTUAL",
        _ => "SIMPLE",
    };

    /// <summary>Every version from the minimum to the maximum (TLS 1.2 and 1.3 are the only ones enabled).</summary>
    private static SslProtocols Protocols(ServerTlsConfig settings)
    {
        var protocols = SslProtocols.None;
        if (settings.MinProtocolVersion <= SslProtocols.Tls12 && settings.MaxProtocolVersion >= SslProtocols.Tls12)
        {
            protocols |= SslProtocols.Tls12;
        }

        if (settings.MaxProtocolVersion >= SslProtocols.Tls13)
        {
            protocols |= SslProtocols.Tls13;
        }

        return protocols;
    }

    private Func<CertificateWithChain>? Certificate(ServerTlsConfig settings, List<string> errors)
    {
        if (settings.Certificate is { } inMemory)
        {
            var value = new CertificateWithChain(inMemory, []);
            return () => value;
        }

        string certificatePath, keyPath, field;
        if (settings.CertificatePath is not null && settings.KeyPath is not null)
        {
            (certificatePath, keyPath, field) = (settings.CertificatePath, settings.KeyPath, "serverCertificate");
        }
        else if (settings.Secret is { } secret && SecretFolder(settings, secret, errors) is { } folder)
        {
            var files = SecretFiles(folder, ["tls.crt", "cert"], ["tls.key", "key"]);
            if (files is null)
            {
                errors.Add($"{settings.Where}.{secret.Field}: secret '{secret.Namespace}/{secret.Name}' has no certificate and key: expected tls.crt and tls.key (or cert and key) in '{folder}'");
                return null;
            }

            (certificatePath, keyPath, field) = (files.Value.Item1, files.Value.Item2, secret.Field);
        }
        else
        {
            return null;
        }

        var loaded = Load(settings, field, "certificate", [certificatePath, keyPath], static p => PemFiles.LoadCertificate(p[0], p[1]), errors);
        return loaded is null ? null : () => loaded.Value;
    }

    private Func<X509Certificate2Collection>? ClientCas(ServerTlsConfig settings, List<string> errors)
    {
        if (settings.CaCertificates is { Count: > 0 } inMemory)
        {
            return () => inMemory;
        }

        string? path = settings.CaCertificatesPath;
        var field = "caCertificates";
        if (path is null && settings.Secret is { } secret && SecretFolder(settings, secret, errors) is { } folder)
        {
            // The CA may sit beside the certificate or, as Istio allows, in a secret named <name>-cacert.
            path = SecretFile(folder, "ca.crt", "cacert")
                ?? SecretFile(Path.Combine(Path.GetDirectoryName(folder)!, secret.Name + "-cacert"), "ca.crt", "cacert");
            field = secret.Field;
        }

        if (path is null)
        {
            return null;
        }

        var loaded = Load(settings, field, "CA bundle", [path], static p => PemFiles.LoadBundle(p[0]), errors);
        return loaded is null ? null : () => loaded.Value;
    }

    private ReloadingFileValue<T>? Load<T>(ServerTlsConfig settings, string field, string what, string[] paths, Func<string[], T> load, List<string> errors)
        where T : class
    {
        var key = typeof(T).Name + "|" + string.Join('|', paths);
        lock (_lock)
        {
            if (_files.TryGetValue(key, out var cached))
            {
                return (ReloadingFileValue<T>)cached;
            }

            try
            {
                var value = new ReloadingFileValue<T>(paths, load, _timeProvider, _logger, _options.CertificateCheckInterval);
                _files[key] = value;
                return value;
            }
            catch (Exception ex) when (ex is IOException or CryptographicException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
            {
                errors.Add($"{settings.Where}.{field}: cannot load the {what} from {string.Join(" and ", paths)}: {ex.Message}");
                return null;
            }
        }
    }
}
