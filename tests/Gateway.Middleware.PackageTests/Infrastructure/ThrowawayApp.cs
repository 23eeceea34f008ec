using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Gateway.Middleware.PackageTests.Infrastructure;

/// <summary>
/// A new ASP.NET Core app outside the repository (so none of its Directory.*.props apply) that installs
/// Gateway.Middleware by version from the local folder feed, as a user's app would: its nuget.config adds
/// the feed and keeps the machine's own sources (the package's dependencies come from there).
/// </summary>
internal sealed class ThrowawayApp : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ThrowawayApp(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>"http://127.0.0.1:port", read from Kestrel's "Now listening on" line.</summary>
    public Uri? Address { get; private set; }

    /// <summary>Where restore put Gateway.Middleware (inside the global packages folder).</summary>
    public string InstalledPackageDirectory { get; private set; } = "";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Writes the app (csproj, Program.cs, nuget.config) and builds it, restoring the package.</summary>
    public static async Task<ThrowawayApp> CreateAndBuildAsync(PackedPackage package, string programCs)
    {
        var app = new ThrowawayApp(Path.Combine(package.WorkDirectory, "app"));
        System.IO.Directory.CreateDirectory(app.Directory);
        await File.WriteAllTextAsync(Path.Combine(app.Directory, "PackagedGateway.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackedPackage.Id}" Version="[{package.Version}]" />
              </ItemGroup>
            </Project>
            """);
        // No <clear/>: the machine's sources (user and machine-wide NuGet.Config) stay in effect.
        await File.WriteAllTextAsync(Path.Combine(app.Directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="gateway-local" value="{package.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
        // Stops MSBuild's upward search for Directory.*.props/targets in whatever folder holds the temp directory.
        foreach (var stop in (string[])["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"])
        {
            await File.WriteAllTextAsync(Path.Combine(app.Directory, stop), "<Project />\n");
        }

        await File.WriteAllTextAsync(Path.Combine(app.Directory, "Program.cs"), programCs);

        app.Append(await DotnetCli.RunAsync(
            app.Directory,
            TimeSpan.FromMinutes(5),
            "build", "PackagedGateway.csproj", "-c", "Release", "-o", Path.Combine(app.Directory, "out"), "--disable-build-servers"));

        using var assets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(app.Directory, "obj", "project.assets.json")));
        foreach (var folder in assets.RootElement.GetProperty("packageFolders").EnumerateObject())
        {
            var installed = Path.Combine(folder.Name, PackedPackage.Id.ToLowerInvariant(), package.Version);
            if (System.IO.Directory.Exists(installed))
            {
                app.InstalledPackageDirectory = installed;
                package.Cleanup.Add(installed);
                break;
            }
        }

        return app;
    }

    /// <summary>Starts the built app on a free loopback port and waits until Kestrel says where it listens.</summary>
    public async Task StartAsync(TimeSpan timeout, params string[] arguments)
    {
        var info = DotnetCli.StartInfo(Directory, [Path.Combine(Directory, "out", "PackagedGateway.dll"), "--urls", "http://127.0.0.1:0", .. arguments]);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) =>
        {
            Append(e.Data);
            const string Marker = "Now listening on: ";
            var at = e.Data?.IndexOf(Marker, StringComparison.Ordinal) ?? -1;
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(e.Data![(at + Marker.Length)..].Trim()));
            }
        };
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The app exited before listening:\n{Output}"));
        _process.EnableRaisingEvents = true;
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        try
        {
            Address = await listening.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The app did not listen within {timeout}:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(deadline.Token);
        _process.Dispose();
    }

    private void Append(string? text)
    {
        if (text is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(text);
        }
    }
}
