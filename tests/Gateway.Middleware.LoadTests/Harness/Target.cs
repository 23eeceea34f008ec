using System.Diagnostics;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>One thing under load: a proxy (or the upstream itself) on a port, in a scenario.</summary>
/// <param name="Name">Shown in the table.</param>
/// <param name="Scenario"><c>plain</c>, <c>jwt</c>, <c>h2</c> or <c>grpc</c>.</param>
/// <param name="Port">Where the load goes (127.0.0.1).</param>
/// <param name="Host">The <c>Host</c> / <c>:authority</c> sent.</param>
/// <param name="Token">The bearer token sent, for the JWT scenario.</param>
/// <param name="Process">The process whose CPU and memory are reported (with its descendants).</param>
/// <param name="AllocPort">Where the startup hook answers allocated bytes (.NET proxies only).</param>
/// <param name="ExpectNotFound">Whether a request without the match header must get 404 (proves the route matches on it).</param>
internal sealed record Target(string Name, string Scenario, int Port, string Host, string? Token, Process Process, int? AllocPort, bool ExpectNotFound)
{
    public bool Http2 => Scenario is "h2" or "grpc";

    public bool Grpc => Scenario == "grpc";

    public Uri Url => new(Grpc ? $"http://127.0.0.1:{Port}/bench.Bench/Unary" : $"http://127.0.0.1:{Port}/");
}
