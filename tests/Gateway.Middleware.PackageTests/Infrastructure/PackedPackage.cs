using System.Globalization;

namespace Gateway.Middleware.PackageTests.Infrastructure;

/// <summary>
/// Packs src/Gateway.Middleware once per test run, the way a release is packed on CI: Release configuration,
/// <c>ContinuousIntegrationBuild=true</c>, into a temporary local folder feed. Its build and intermediate
/// files go to a private artifacts folder so it never races with the solution build running the tests.
/// The version is unique (<c>0.1.0-test.&lt;ticks&gt;</c>) so a package left in the NuGet cache by an
/// earlier run can never be the one installed.
/// </summary>
public sealed class PackedPackage : IAsyncLifetime
{
    public const string Id = "Gateway.Middleware";

    public PackedPackage()
    {
        RepositoryRoot = Repository.Root;
        Version = "0.1.0-test." + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
        WorkDirectory = Directory.CreateTempSubdirectory("gateway-package-").FullName;
        FeedDirectory = Path.Combine(WorkDirectory, "feed");
    }

    /// <summary>The folder holding Gateway.Middleware.sln.</summary>
    public string RepositoryRoot { get; }

    public string ProjectDirectory => Path.Combine(RepositoryRoot, "src", Id);

    public string Version { get; }

    /// <summary>A temporary folder for everything this run writes; deleted at the end.</summary>
    public string WorkDirectory { get; }

    /// <summary>The local folder package source holding the .nupkg and .snupkg.</summary>
    public string FeedDirectory { get; }

    public string PackagePath => Path.Combine(FeedDirectory, $"{Id}.{Version}.nupkg");

    public string SymbolPackagePath => Path.Combine(FeedDirectory, $"{Id}.{Version}.snupkg");

    /// <summary>What <c>dotnet pack</c> printed, for failure messages.</summary>
    public string PackOutput { get; private set; } = "";

    /// <summary>Folders to delete at the end (e.g. the package's copy in the global packages folder).</summary>
    public List<string> Cleanup { get; } = [];

    public async Task InitializeAsync()
    {
        PackOutput = await DotnetCli.RunAsync(
            RepositoryRoot,
            TimeSpan.FromMinutes(5),
            "pack", Path.Combine(ProjectDirectory, $"{Id}.csproj"),
            "-c", "Release",
            "-o", FeedDirectory,
            "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"),
            "--disable-build-servers",
            $"-p:Version={Version}",
            "-p:ContinuousIntegrationBuild=true");
    }

    public Task DisposeAsync()
    {
        foreach (var directory in Cleanup.Append(WorkDirectory))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind is harmless (the version is never reused).
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return Task.CompletedTask;
    }
}
