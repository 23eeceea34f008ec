using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Configuration.DestinationRules;

/// <summary>
/// A temporary folder of Istio YAML (with certificates under <c>certs/</c>, named by relative paths in the YAML)
/// served by a real gateway through <c>LoadIstioYaml</c> on a port reserved for the YAML's Gateway server.
/// </summary>
internal sealed class YamlFolder : IDisposable
{
    public YamlFolder()
    {
        Directory.CreateDirectory(Path);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gw-dr-" + Guid.NewGuid().ToString("N"));

    /// <summary>Where certificates go: the YAML names them <c>certs/&lt;name&gt;</c>.</summary>
    public string Certificates => System.IO.Path.Combine(Path, "certs");

    /// <summary>The port the YAML's Gateway server names (<c>$PORT</c>) and the gateway listens on.</summary>
    public int Port { get; } = YamlGateway.ReservePort();

    /// <summary>Writes (or rewrites) <paramref name="yaml"/> as <c>mesh.yaml</c>, with <c>$PORT</c> and the given values filled in.</summary>
    public void Write(string yaml, params (string Name, int Value)[] values)
        => File.WriteAllText(System.IO.Path.Combine(Path, "mesh.yaml"), YamlGateway.Fill(yaml, [("PORT", Port), .. values]));

    /// <summary>
    /// Starts a gateway on the folder; <paramref name="time"/> replaces the clock outlier detection reads, and
    /// <paramref name="configure"/> adds what YAML cannot say (e.g. the mesh identity).
    /// </summary>
    public Task<GatewayHost> StartAsync(bool watch = false, TimeProvider? time = null, Action<IGatewayBuilder>? configure = null)
        => GatewayHost.StartAsync(
            g =>
            {
                if (time is not null)
                {
                    g.Services.AddSingleton(time);
                }

                configure?.Invoke(g);
                g.LoadIstioYaml(Path, watch);
            },
            port: Port);

    /// <summary>Rewrites <c>mesh.yaml</c> under a watching <paramref name="gateway"/>; whether the reload was applied.</summary>
    public async Task<bool> ReloadAsync(GatewayHost gateway, string yaml)
    {
        var monitor = gateway.Services.GetRequiredService<IGatewayConfigMonitor>();
        var outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded(object? sender, GatewayConfigReloadedEventArgs e) => outcome.TrySetResult(e.Applied);
        monitor.Reloaded += OnReloaded;
        try
        {
            Write(yaml);
            return await outcome.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            monitor.Reloaded -= OnReloaded;
        }
    }

    /// <summary>The errors a gateway refuses the folder with at start.</summary>
    public async Task<IReadOnlyList<string>> StartErrorsAsync()
        => (await Assert.ThrowsAsync<GatewayConfigurationException>(() => StartAsync())).Errors;

    /// <summary>Sends GET <paramref name="path"/> with <c>Host: mesh.example.com</c> (the host the YAML's VirtualService serves).</summary>
    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path = "/", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "mesh.example.com";
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>A Gateway server on <c>$PORT</c> for <c>mesh.example.com</c>.</summary>
    public const string Gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          servers:
          - port: {number: $PORT, name: http, protocol: HTTP}
            hosts: [mesh.example.com]
        """;

    /// <summary>
    /// <see cref="Gateway"/>, a VirtualService sending every request to <c>reviews</c> (no retries), its STATIC
    /// ServiceEntry with one endpoint on 127.0.0.1 per port, and its DestinationRule with <paramref name="trafficPolicy"/>
    /// (YAML at the indentation of the policy's fields).
    /// </summary>
    public static string Mesh(string trafficPolicy, params int[] endpointPorts)
    {
        var endpoints = string.Join("\n", endpointPorts.Select(port => $"  - {{address: 127.0.0.1, ports: {{http: {port}}}}}"));
        return Gateway + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: mesh}
            spec:
              hosts: [mesh.example.com]
              gateways: [gw]
              http:
              - route: [{destination: {host: reviews}}]
                retries: {attempts: 0}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews}
            spec:
              hosts: [reviews.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http, protocol: HTTP}]
              endpoints:
            ENDPOINTS
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews.default.svc.cluster.local
              trafficPolicy:
                POLICY
            """.Replace("ENDPOINTS", endpoints, StringComparison.Ordinal).Replace("POLICY", trafficPolicy, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
