using Gateway.Middleware.Authorization;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Testing;

/// <summary>
/// Answers "where does this request go?" from the gateway's real compiled route tables, without network: load
/// an Istio / Gateway API YAML folder (or take a running gateway's configuration) and route requests through
/// the same path normalization, host matching and rule selection the middleware uses.
/// </summary>
/// <remarks>
/// What it does not decide: JWT authentication and authorization (rules matching on <c>request.auth.claims</c>
/// see no principal), fault injection, CORS preflights, and which destination of a weighted split a given
/// request gets (every destination is listed with its weight).
/// </remarks>
/// <example><code>
/// using var probe = GatewayRoutingProbe.FromYaml("deploy/istio");
/// probe.Get("http://bookinfo.example.com/reviews/1", ("end-user", "jason")).AssertRoutesTo("reviews", subset: "v2");
/// </code></example>
public sealed partial class GatewayRoutingProbe : IDisposable
{
    private readonly GatewaySnapshot _snapshot;
    private readonly bool _ownsSnapshot;
    private readonly int? _port;
    private readonly PathNormalization _normalization;

    private GatewayRoutingProbe(GatewaySnapshot snapshot, bool ownsSnapshot, int? port, PathNormalization normalization, IReadOnlyList<string> warnings)
    {
        _snapshot = snapshot;
        _ownsSnapshot = ownsSnapshot;
        _port = port;
        _normalization = normalization;
        Warnings = warnings;
    }

    /// <summary>The loader's warnings (unsupported fields, destinations no ServiceEntry declares, …); empty for a running gateway.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Loads and validates a YAML file or folder exactly as <c>LoadIstioYaml</c> does. Requests arrive on
    /// <paramref name="port"/> (the Gateway server port); by default the port in the request URL, else the one
    /// port every declared server listens on, else 80 (443 for https).
    /// </summary>
    /// <param name="path">A YAML file or a folder of <c>*.yaml</c>/<c>*.yml</c>.</param>
    /// <param name="port">The gateway port requests arrive on.</param>
    /// <param name="normalization">Path normalization; default <see cref="PathNormalization.MergeSlashes"/>, the gateway's default.</param>
    /// <returns>The probe.</returns>
    /// <exception cref="GatewayConfigurationException">The configuration is invalid (every error listed).</exception>
    public static GatewayRoutingProbe FromYaml(string path, int? port = null, PathNormalization normalization = PathNormalization.MergeSlashes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var result = IstioYaml.LoadPath(path);
        if (result.Errors.Count > 0)
        {
            throw new GatewayConfigurationException(result.Errors);
        }

        return new GatewayRoutingProbe(GatewayConfigCompiler.Compile(result.Config), ownsSnapshot: true, port ?? SinglePort(result.Config), normalization, result.Warnings);
    }

    /// <summary>
    /// Probes the configuration a gateway is serving right now (e.g. <c>factory.Services</c> of a
    /// WebApplicationFactory): builder, appsettings.json and YAML merged, upstream redirects applied.
    /// </summary>
    /// <param name="services">The application's service provider (after <c>AddGateway()</c>).</param>
    /// <param name="port">The gateway port requests arrive on; default as in <see cref="FromYaml"/>.</param>
    /// <param name="normalization">Path normalization; default <see cref="PathNormalization.MergeSlashes"/>.</param>
    /// <returns>The probe.</returns>
    public static GatewayRoutingProbe FromServices(IServiceProvider services, int? port = null, PathNormalization normalization = PathNormalization.MergeSlashes)
    {
        ArgumentNullException.ThrowIfNull(services);
        var snapshot = services.GetRequiredService<GatewayConfigProvider>().Current;
        return new GatewayRoutingProbe(snapshot, ownsSnapshot: false, port ?? (snapshot.Config is { } config ? SinglePort(config) : null), normalization, []);
    }

    /// <summary>Disposes the compiled configuration of <see cref="FromYaml"/> (a running gateway's stays its own).</summary>
    public void Dispose()
    {
        if (_ownsSnapshot)
        {
            _snapshot.Dispose();
        }
    }

    private static int? SinglePort(GatewayConfig config)
    {
        int? port = null;
        foreach (var server in config.Servers)
        {
            if (server.Port is not { } declared || (port is not null && port != declared))
            {
                return null;
            }

            port = declared;
        }

        return port;
    }
}
