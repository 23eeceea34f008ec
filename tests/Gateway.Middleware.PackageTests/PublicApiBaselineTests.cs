using Gateway.Middleware.PackageTests.Infrastructure;

namespace Gateway.Middleware.PackageTests;

/// <summary>
/// Every shipped project under src/ has what packaging needs beside its .csproj (docs/packaging.md): a NuGet
/// README and the public API baseline files, which track nullability. Without the files the analyzer has
/// nothing to compare the API with; without <c>#nullable enable</c> the baseline ignores <c>?</c> changes.
/// </summary>
public sealed class PublicApiBaselineTests
{
    public static TheoryData<string> SrcProjects() => new(ProjectNames());

    [Fact]
    public void SrcProjects_IncludeGatewayMiddleware() => Assert.Contains("Gateway.Middleware", ProjectNames());

    [Theory]
    [MemberData(nameof(SrcProjects))]
    public void SrcProject_HasReadmeAndBaselineFilesTrackingNullability(string project)
    {
        var directory = Path.Combine(Repository.Root, "src", project);
        Assert.True(File.Exists(Path.Combine(directory, "README.md")), $"src/{project} has no README.md (the package's nuget.org page)");

        var entries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in (string[])["PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt"])
        {
            var path = Path.Combine(directory, file);
            Assert.True(File.Exists(path), $"src/{project}/{file} is missing");
            var lines = File.ReadAllLines(path);
            Assert.True(lines.Length > 0 && lines[0] == "#nullable enable", $"src/{project}/{file} must start with '#nullable enable'");
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                Assert.True(entries.Add(line), $"src/{project}: '{line}' is listed twice (in {file})");
            }
        }
    }

    private static string[] ProjectNames() =>
        [.. Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.csproj", SearchOption.AllDirectories).Select(p => Path.GetFileNameWithoutExtension(p))];

    [Fact]
    public void GatewayMiddleware_ShippedBaseline_IsTheWholeApi()
    {
        var shipped = File.ReadAllLines(Path.Combine(Repository.Root, "src", "Gateway.Middleware", "PublicAPI.Shipped.txt"));

        // The entry points the README shows are part of the 0.1.0 baseline.
        Assert.Contains(shipped, l => l.StartsWith("static Microsoft.Extensions.DependencyInjection.GatewayServiceCollectionExtensions.AddGateway(", StringComparison.Ordinal));
        Assert.Contains(shipped, l => l.StartsWith("static Microsoft.AspNetCore.Builder.GatewayApplicationBuilderExtensions.UseGateway(", StringComparison.Ordinal));
        Assert.Contains(shipped, l => l.StartsWith("static Microsoft.Extensions.DependencyInjection.GatewayYamlBuilderExtensions.LoadIstioYaml(", StringComparison.Ordinal));
    }
}
