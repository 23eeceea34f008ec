using Gateway.Middleware.LoadTests.Apps;
using Gateway.Middleware.LoadTests.Harness;

namespace Gateway.Middleware.LoadTests;

/// <summary>
/// <c>dotnet Gateway.Middleware.LoadTests.dll [run] [options]</c> runs the load benchmark (see
/// docs/performance.md); the other verbs are the .NET apps it starts: <c>upstream</c>, <c>gateway</c>
/// (Program.cs-built Gateway.Middleware) and <c>yarp</c>.
/// </summary>
public static class Program
{
    /// <summary>Dispatches on the first argument.</summary>
    public static Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        return verb switch
        {
            "upstream" => UpstreamApp.RunAsync(AppArgs.Parse(rest)),
            "gateway" => GatewayApp.RunAsync(AppArgs.Parse(rest)),
            "yarp" => YarpApp.RunAsync(AppArgs.Parse(rest)),
            "run" => Orchestrator.RunAsync(rest),
            "jwt-material" => WriteJwtMaterialAsync(rest),
            _ => Task.FromResult(Usage(verb)),
        };
    }

    /// <summary>
    /// <c>jwt-material DIR</c>: writes DIR/jwks.json and DIR/token.txt (a fresh RS256 key and a token for it), for
    /// profiling the JWT path of one app by hand (docs/performance.md).
    /// </summary>
    private static async Task<int> WriteJwtMaterialAsync(string[] args)
    {
        var dir = args.Length > 0 ? args[0] : ".";
        Directory.CreateDirectory(dir);
        var material = JwtMaterial.Create();
        await File.WriteAllTextAsync(Path.Combine(dir, "jwks.json"), material.Jwks).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(dir, "token.txt"), material.Token).ConfigureAwait(false);
        return 0;
    }

    private static int Usage(string verb)
    {
        Console.Error.WriteLine($"unknown verb '{verb}'");
        Console.Error.WriteLine(RunOptions.Usage);
        return 2;
    }
}
