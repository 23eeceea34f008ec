using System.Net;
using System.Text.RegularExpressions;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>
/// The complete appsettings.json example in docs/configuration.md loads without errors and routes as the
/// notes under it say, so the documentation cannot drift from the code.
/// </summary>
public sealed partial class AppSettingsDocsExampleTests
{
    private static readonly Lazy<string> Example = new(ReadExample);

    [Fact]
    public void DocsExample_Binds_WithoutErrors()
    {
        var config = AppSettings.Config(Example.Value);

        Assert.Equal(["health", "legacy", "jason", "reviews", "ratings", "api", "productpage"], config.Routes.Select(r => r.Name));
        Assert.Equal(["productpage", "ratings", "reviews"], config.Upstreams.Select(u => u.Name).Order());
        Assert.Equal(["http", "https"], config.Servers.Select(s => s.Name).Order());
    }

    [Theory]
    [InlineData("bookinfo.example.com", 8080, "GET", "/reviews/1", "end-user:jason", "jason|reviews|v2")]
    [InlineData("bookinfo.example.com", 8443, "GET", "/reviews/1", "end-user:jason", "jason|reviews|v2")]
    [InlineData("bookinfo.example.com", 8080, "GET", "/ratings/42", "", "productpage|productpage|")] // ratings binds to https only
    [InlineData("bookinfo.example.com", 8443, "GET", "/ratings/42", "", "ratings|ratings|")]
    [InlineData("bookinfo.example.com", 8443, "POST", "/ratings/42", "", "productpage|productpage|")]
    [InlineData("bookinfo.example.com", 8080, "GET", "/OLD-productpage", "", "legacy||")]
    [InlineData("bookinfo.example.com", 8080, "GET", "/healthz", "", "health||")]
    [InlineData("bookinfo.example.com", 8443, "GET", "/healthz", "", "productpage|productpage|")]
    [InlineData("bookinfo.example.com", 8080, "GET", "/", "", "productpage|productpage|")]
    [InlineData("api.example.com", 8080, "GET", "/api/v1/books", "", "api|productpage|")]
    [InlineData("api.example.com", 8080, "GET", "/api/v1/books", "x-legacy-client:1", "404")]
    [InlineData("api.example.com", 8080, "GET", "/api/v1/books?modern", "x-legacy-client:1", "api|productpage|")]
    [InlineData("api.example.com", 8443, "GET", "/api/v1/books", "", "404")] // the https server serves bookinfo only
    [InlineData("example.com", 8080, "GET", "/healthz", "", "404")] // *.example.com never matches the apex
    public async Task DocsExample_Routes_AsTheNotesSay(string host, int port, string method, string path, string header, string expected)
    {
        await using var gateway = await AppSettingsTestHost.StartAsync(Example.Value);
        var headers = header.Length == 0 ? [] : new[] { (header.Split(':')[0], header.Split(':')[1]) };

        Assert.Equal(expected, await gateway.RouteAsync(path, host, port, method, headers));
    }

    [Fact]
    public async Task DocsExample_CanaryWeights_V1OrV3()
    {
        await using var gateway = await AppSettingsTestHost.StartAsync(Example.Value);

        for (var i = 0; i < 20; i++)
        {
            Assert.Contains(await gateway.RouteAsync("/reviews/1", "bookinfo.example.com", 8080), new[] { "reviews|reviews|v1", "reviews|reviews|v3" });
        }
    }

    [Fact]
    public async Task DocsExample_HealthAndLegacy_AnsweredByTheGateway()
    {
        await using var gateway = await AppSettingsTestHost.StartAsync(Example.Value, forward: true);

        using var health = await gateway.SendAsync("/healthz", "bookinfo.example.com", 8080);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
        using var legacy = await gateway.SendAsync("/Old-Productpage", "bookinfo.example.com", 8080);
        Assert.Equal(HttpStatusCode.PermanentRedirect, legacy.StatusCode);
        Assert.Equal("/productpage", legacy.Headers.Location!.AbsolutePath);
    }

    private static string ReadExample()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Gateway.Middleware.sln")))
        {
            directory = directory.Parent;
        }

        var markdown = File.ReadAllText(Path.Combine(directory!.FullName, "docs", "configuration.md"));
        var section = markdown[markdown.IndexOf("## A complete example", StringComparison.Ordinal)..];
        return JsonBlock().Match(section).Groups[1].Value;
    }

    [GeneratedRegex(@"```json\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
