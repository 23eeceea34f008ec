using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// A gateway on real Kestrel serving Istio / Gateway API YAML written to a temporary folder and loaded with
/// <c>LoadIstioYaml</c>. It listens on every port given, which the YAML's Gateway servers or listeners name
/// (reserve them with <see cref="ReservePort"/> and write them into the YAML).
/// </summary>
public sealed class YamlGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly HttpClient _client;

    private YamlGateway(WebApplication app, string folder, IReadOnlyList<int> ports)
    {
        _app = app;
        _folder = folder;
        Ports = ports;
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The ports the gateway listens on, the first being the default for requests.</summary>
    public IReadOnlyList<int> Ports { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A free loopback port to name in the YAML (as <c>YamlReloadTests</c> does).</summary>
    public static int ReservePort() => Forwarding.ErrorMappingTests.GetClosedPort();

    /// <summary>Replaces each <c>$NAME</c> in <paramref name="yaml"/> with its number (ports are known only at run time).</summary>
    public static string Fill(string yaml, params (string Name, int Value)[] values)
    {
        // Longest names first, so $PORT2 is not taken for $PORT followed by 2.
        foreach (var (name, value) in values.OrderByDescending(v => v.Name.Length))
        {
            yaml = yaml.Replace("$" + name, value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return yaml;
    }

    /// <summary>Writes <paramref name="files"/> into a new folder and starts a gateway on it, listening on <paramref name="ports"/>.</summary>
    public static async Task<YamlGateway> StartAsync(IReadOnlyList<int> ports, params (string Name, string Yaml)[] files)
    {
        var folder = Path.Combine(Path.GetTempPath(), "gw-yaml-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var (name, yaml) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name), yaml);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var port in ports)
            {
                kestrel.Listen(IPAddress.Loopback, port);
            }
        });
        builder.Services.AddGateway().LoadIstioYaml(folder, watch: false);
        var app = builder.Build();
        app.UseGateway();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
            throw;
        }

        return new YamlGateway(app, folder, ports);
    }

    /// <summary>Sends a request with the given <c>Host</c> to the first port, or to <paramref name="port"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(string host, string pathAndQuery, string method = "GET", int? port = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), $"http://127.0.0.1:{(port ?? Ports[0]).ToString(CultureInfo.InvariantCulture)}{pathAndQuery}");
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await _client.SendAsync(request);
            // Buffer the body so callers can read it after the request is disposed.
            await response.Content.LoadIntoBufferAsync();
            return response;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
