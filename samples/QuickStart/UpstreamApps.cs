using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

/// <summary>The two small upstream apps the QuickStart gateway forwards to.</summary>
internal static class UpstreamApps
{
    /// <summary>Starts an upstream named <paramref name="name"/> on a free loopback port.</summary>
    public static async Task<(WebApplication App, string Address)> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
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

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
