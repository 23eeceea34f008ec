using System.Collections.Frozen;
using System.Security.Authentication;
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
    private readonly TlsFileCache _files;

    public ServerTlsCompiler(GatewayTlsOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _options = options;
        _logger = logger;
        _files = new TlsFileCache(timeProvider, logger, options.CertificateCheckInterval);
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
}
