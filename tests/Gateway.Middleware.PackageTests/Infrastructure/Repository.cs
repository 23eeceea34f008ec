namespace Gateway.Middleware.PackageTests.Infrastructure;

/// <summary>The checkout the tests run from.</summary>
internal static class Repository
{
    /// <summary>The folder holding Gateway.Middleware.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.Middleware.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Gateway.Middleware.sln not found above {AppContext.BaseDirectory}.");
    }
}
