using System.Net;

namespace Gateway.Middleware.Tests.Routing.Conformance;

/// <summary>
/// The Gateway API conformance setup: one Gateway <c>same-namespace</c> with the backends
/// <c>infra-backend-v1..v3</c> (here: upstreams of those names, never contacted).
/// </summary>
public abstract class ConformanceFixture : RoutingFixture
{
    protected override string[] Upstreams => ["infra-backend-v1", "infra-backend-v2", "infra-backend-v3"];

    /// <summary>Sends a conformance request and returns the backend it reached, or "404".</summary>
    /// <param name="headers">The request's headers as <c>Name:value</c> pairs separated by <c>;</c>.</param>
    public async Task<string> BackendAsync(string pathAndQuery, string headers = "", string method = "GET")
    {
        var parsed = new List<(string, string)>();
        foreach (var header in headers.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            parsed.Add((header[..colon], header[(colon + 1)..]));
        }

        var result = await Host.SendAsync(pathAndQuery, method, "example.com", "http", [.. parsed]);
        return result.Status == HttpStatusCode.OK ? result.Upstream! : ((int)result.Status).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
