namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>The external programs the harness uses, found on PATH; a missing one skips its targets.</summary>
internal sealed record Tools(string? Wrk, string? H2Load, string? Nginx, string? Haproxy)
{
    public static Tools Find() => new(Which("wrk"), Which("h2load"), Which("nginx"), Which("haproxy"));

    public IEnumerable<string> Describe()
    {
        yield return Line("wrk", Wrk, "HTTP/1.1 scenarios (plain, jwt) skipped", "wrk");
        yield return Line("h2load", H2Load, "HTTP/2 scenario (h2) skipped", "nghttp2-client");
        yield return Line("nginx", Nginx, "nginx targets skipped", "nginx");
        yield return Line("haproxy", Haproxy, "haproxy targets skipped", "haproxy");
    }

    private static string Line(string name, string? path, string consequence, string package) =>
        path is null ? $"MISSING {name}: {consequence} (apt-get install {package})" : $"found {name}: {path}";

    private static string? Which(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/sbin", "/sbin", "/usr/local/sbin"]))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
