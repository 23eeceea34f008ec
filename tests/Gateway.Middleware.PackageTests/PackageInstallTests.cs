using System.Net;
using System.Text.Json;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.PackageTests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.PackageTests;

/// <summary>
/// Issue #9 "Packaging": the freshly packed package, installed from a local folder source into a new app
/// (no project reference, no repository props), routes a real request to a real Kestrel upstream.
/// </summary>
[Collection(PackageTestGroup.Name)]
public sealed class PackageInstallTests
{
    // The user's whole Program.cs: only the package's public API, as the package README shows it.
    private const string ProgramCs = """
        var builder = WebApplication.CreateBuilder(args);

        builder.Services.AddGateway()
            .AddUpstream("backend", u => u.Endpoint(builder.Configuration["upstream"]!))
            .AddRoute("api", r => r.Hosts("packaged.example.com").MatchPathPrefix("/api").RouteTo("backend"));

        var app = builder.Build();
        app.UseGateway();
        app.Run();
        """;

    private readonly PackedPackage _package;

    public PackageInstallTests(PackedPackage package)
    {
        _package = package;
    }

    [Fact]
    public async Task InstalledFromLocalFeed_AppRoutesRequestToUpstream_AndAnswers404OffRoute()
    {
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsJsonAsync(new
            {
                path = context.Request.Path.Value,
                host = context.Request.Host.Value,
                forwardedHost = context.Request.Headers["X-Forwarded-Host"].ToString(),
                requestId = context.Request.Headers["x-request-id"].ToString(),
            });
        });

        await using var app = await ThrowawayApp.CreateAndBuildAsync(_package, ProgramCs);

        // Restore took our package from our folder, not from any other source or an older cache entry.
        Assert.True(app.InstalledPackageDirectory.Length > 0, $"Gateway.Middleware {_package.Version} was not restored:\n{app.Output}");
        using (var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(app.InstalledPackageDirectory, ".nupkg.metadata"))))
        {
            Assert.Equal(
                Path.TrimEndingDirectorySeparator(_package.FeedDirectory),
                Path.TrimEndingDirectorySeparator(metadata.RootElement.GetProperty("source").GetString()!));
        }

        await app.StartAsync(TimeSpan.FromSeconds(60), "--upstream", upstream.Address);
        using var client = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(30) };

        using var routed = new HttpRequestMessage(HttpMethod.Get, "/api/books/1");
        routed.Headers.Host = "packaged.example.com";
        using var response = await client.SendAsync(routed);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}\n{app.Output}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal("/api/books/1", json.RootElement.GetProperty("path").GetString());
        Assert.Equal("packaged.example.com", json.RootElement.GetProperty("forwardedHost").GetString());
        Assert.NotEqual("", json.RootElement.GetProperty("requestId").GetString());

        // Gateway semantics, not a plain proxy: a host the route does not serve gets Istio's empty 404.
        using var offRoute = new HttpRequestMessage(HttpMethod.Get, "/api/books/1");
        offRoute.Headers.Host = "other.example.com";
        using var notFound = await client.SendAsync(offRoute);

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("", await notFound.Content.ReadAsStringAsync());
    }
}
