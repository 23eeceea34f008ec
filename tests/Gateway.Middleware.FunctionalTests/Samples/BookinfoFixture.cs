using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Bookinfo.Demo;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using IstioGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// <c>samples/Bookinfo</c> started as <c>dotnet run</c> starts it (its <c>Main</c>'s <c>Build</c>, with
/// <c>--http-port 0 --https-port 0</c>), and beside it the <c>samples/IstioGateway</c> host loading the shipped
/// <c>config/bookinfo/</c> YAML, copied with only what must differ per run: its two gateway ports, the
/// ServiceEntry ports (the sample's services), the files in <c>certs/</c> (the sample's freshly minted demo CA and
/// certificates) and the inline JWKS (the sample's demo issuer). Both send to the same Bookinfo services.
/// </summary>
public sealed class BookinfoFixture : IAsyncLifetime
{
    private readonly string _config = Directory.CreateTempSubdirectory("gw-bookinfo-").FullName;
    private WebApplication _sample = null!;
    private IstioGatewayHost _yaml = null!;

    /// <summary>The sample's demo material and ports.</summary>
    public BookinfoDemo Demo { get; private set; } = null!;

    /// <summary>The sample (Program.cs gateway).</summary>
    public IServiceProvider SampleServices => _sample.Services;

    /// <summary>The YAML gateway.</summary>
    public IServiceProvider YamlServices => _yaml.Services;

    /// <summary>The YAML gateway's plain HTTP port (the YAML's 8080).</summary>
    public int YamlHttpPort { get; private set; }

    /// <summary>The YAML gateway's HTTPS port (the YAML's 8443).</summary>
    public int YamlHttpsPort { get; private set; }

    public async Task InitializeAsync()
    {
        _sample = Bookinfo.Program.Build(["--http-port", "0", "--https-port", "0"], b => b.Logging.ClearProviders());
        Demo = _sample.Services.GetRequiredService<BookinfoDemo>();
        await _sample.StartAsync();

        (YamlHttpPort, YamlHttpsPort) = (FreePort(), FreePort());
        CopyYaml();
        _yaml = await IstioGatewayHost.BuildAsync(["--config", _config, "--address", "127.0.0.1", "--status-port=0"], b => b.Logging.ClearProviders());
        await _yaml.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _yaml.DisposeAsync();
        await _sample.StopAsync();
        await _sample.DisposeAsync();
        Directory.Delete(_config, recursive: true);
    }

    /// <summary>The repository's <c>samples/IstioGateway/config/bookinfo</c>.</summary>
    public static string ShippedConfig
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gateway.Middleware.sln")))
                {
                    return Path.Combine(dir.FullName, "samples", "IstioGateway", "config", "bookinfo");
                }
            }

            throw new InvalidOperationException("Gateway.Middleware.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private void CopyYaml()
    {
        var shipped = ShippedConfig;
        var found = new HashSet<string>();
        foreach (var file in Directory.GetFiles(shipped, "*.yaml"))
        {
            var text = File.ReadAllText(file);
            text = Replace(text, found, "number: 8080", $"number: {YamlHttpPort}");
            text = Replace(text, found, "number: 8443", $"number: {YamlHttpsPort}");
            text = Replace(text, found, "http: 9081", $"http: {Demo.ProductPage}");
            text = Replace(text, found, "http: 9082", $"http: {Demo.ReviewsV1}");
            text = Replace(text, found, "http: 9083", $"http: {Demo.ReviewsV2}");
            text = Replace(text, found, "http: 9084", $"http: {Demo.ReviewsV3}");
            if (Regex.IsMatch(text, "jwks: '[^']*'"))
            {
                found.Add("jwks");
                text = Regex.Replace(text, "jwks: '[^']*'", _ => $"jwks: '{Demo.Issuer.Jwks}'");
            }

            File.WriteAllText(Path.Combine(_config, Path.GetFileName(file)), text);
        }

        // Each value is in the shipped YAML, so a change there fails here rather than testing something else.
        Assert.Equal(7, found.Count);

        // The shipped certs/ names, with this run's demo CA and certificates.
        var certs = Path.Combine(_config, "certs");
        foreach (var name in (string[])["bookinfo-ca.crt", "bookinfo.example.com.crt", "bookinfo.example.com.key", "gateway-client.crt", "gateway-client.key"])
        {
            Assert.True(File.Exists(Path.Combine(shipped, "certs", name)), $"shipped certs/{name}");
        }

        TestCertificates.WriteBundle(certs, "bookinfo-ca", Demo.Pki.Ca);
        File.Move(Path.Combine(certs, "bookinfo-ca.pem"), Path.Combine(certs, "bookinfo-ca.crt"));
        TestCertificates.WritePem(Demo.Pki.GatewayServer, certs, "bookinfo.example.com");
        TestCertificates.WritePem(Demo.Pki.GatewayClient, certs, "gateway-client");
    }

    private static string Replace(string text, HashSet<string> found, string value, string replacement)
    {
        if (!text.Contains(value, StringComparison.Ordinal))
        {
            return text;
        }

        found.Add(value);
        return text.Replace(value, replacement, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
