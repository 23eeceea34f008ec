using System.Net;
using System.Net.Sockets;
using System.Text.Json;

/// <summary>
/// The small upstream apps the QuickStart gateway forwards to, run as a hosted service of the gateway so
/// they start and stop with it (and so WebApplicationFactory, which captures the first app built in the
/// process, captures the gateway).
/// </summary>
internal sealed class UpstreamApps : IHostedService
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly (string Name, string Address)[] _upstreams;
    private readonly List<WebApplication> _apps = [];

    public UpstreamApps(params (string Name, string Address)[] upstreams)
    {
        _upstreams = upstreams;
    }

    /// <summary>A free loopback address ("http://127.0.0.1:port") for an upstream to listen on.</summary>
    public static string ReserveLoopbackAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, address) in _upstreams)
        {
            var app = Build(name, address);
            await app.StartAsync(cancellationToken);
            _apps.Add(app);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var app in _apps)
        {
            await app.StopAsync(cancellationToken);
            await app.DisposeAsync();
        }
    }

    private static WebApplication Build(string name, string address)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(address);
        builder.Logging.ClearProviders();
        var app = builder.Build();

        // Answers with what it received, so a curl shows what the gateway forwarded.
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in context.Request.Headers)
            {
                headers[header.Key] = header.Value.ToString();
            }

            context.Response.Headers["x-upstream"] = name;
            await context.Response.WriteAsJsonAsync(new
            {
                service = name,
                message = name == "greeter" ? "Hello from the greeter upstream" : "echo",
                method = context.Request.Method,
                path = context.Request.Path.Value,
                query = context.Request.QueryString.Value,
                body = System.Text.Encoding.UTF8.GetString(body.ToArray()),
                headers,
            }, JsonOptions);
        });
        return app;
    }
}
