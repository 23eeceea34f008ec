using Gateway.Middleware.Builder;
using Gateway.Middleware.HardeningTests.Smuggling;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.HardeningTests.PathBypass;

/// <summary>
/// Path and host bypass attempts over raw sockets (CVE-2021-31920, CVE-2021-39156 classes; Istio's "Security Best
/// Practices: Understand path normalization in authorization policy") against a DENY <c>/admin*</c> policy and an
/// ALLOW-only <c>/api/*</c> policy, in the gateway's default normalization (MERGE_SLASHES). Each request is either
/// refused and never reaches the upstream, or forwarded with exactly the path authorization judged.
/// </summary>
public sealed class PolicyBypassTests
{
    [Theory]
    [InlineData("/admin", null)]
    [InlineData("//admin", null)]
    [InlineData("///admin/x", null)]
    [InlineData("/./admin", null)]
    [InlineData("/x/../admin", null)]
    [InlineData("/x/./../admin", null)]
    [InlineData("/%2e%2e/admin", null)]
    [InlineData("/x/%2E%2E/admin", null)]
    [InlineData("/x/.%2e/admin", null)]
    [InlineData("/%2e/admin", null)]
    [InlineData("/%61dmin", null)]
    [InlineData("/adm%69n/x", null)]
    [InlineData("/\\admin", null)]
    [InlineData("/x\\..\\admin", null)]
    [InlineData("/admin;jsessionid=1", null)]
    [InlineData("/x;/../admin", null)]
    [InlineData("/admin#frag", null)]
    [InlineData("/admin?x=/public", null)]
    [InlineData("/admin%2fusers", null)]
    [InlineData("/admin/", null)]
    // Forwarded: the upstream receives exactly the path authorization judged (not /admin…).
    [InlineData("/public#/../admin", "/public")]
    [InlineData("/%2fadmin", "/%2Fadmin")] // %2F kept encoded (Istio default); DECODE_AND_MERGE_SLASHES decodes it
    [InlineData("/%5cadmin", "/%5Cadmin")]
    [InlineData("/%252e%252e/admin", "/%252e%252e/admin")] // decoded once only: the upstream sees %2e%2e, not ..
    [InlineData("/x/%252e%252e/admin", "/x/%252e%252e/admin")]
    [InlineData("/%c0%ae%c0%ae/admin", "/%C0%AE%C0%AE/admin")] // overlong UTF-8 for '.' is not a dot (RFC 3629)
    [InlineData("/;x/admin", "/;x/admin")] // ";x" is a segment: upstreams that strip ;params need an ALLOW policy
    [InlineData("/ADMIN", "/ADMIN")] // Istio paths are case-sensitive; see docs/security.md
    public async Task DenyAdmin_BypassAttempt_IsDeniedOrForwardedAsAuthorized(string target, string? forwarded)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Address, g => g.AddAuthorizationPolicy("deny-admin", p => p.Deny().Rule(r => r.To(paths: ["/admin*"]))));

        var raw = await RawHttp.SendAsync(gateway.Port, $"GET {target} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

        AssertOutcome(target, raw, upstream, forwarded);
    }

    [Theory]
    [InlineData("/api/items", "/api/items")]
    [InlineData("//api//items", "/api/items")]
    [InlineData("/api/./items", "/api/items")]
    [InlineData("/api/x#/../../admin", "/api/x")]
    [InlineData("/api/..%2fadmin", "/api/..%2Fadmin")] // "..%2F" is not a dot-segment; Kestrel upstreams keep %2F too
    [InlineData("/api/%252e%252e/admin", "/api/%252e%252e/admin")]
    [InlineData("/api/../admin", null)]
    [InlineData("/api/%2e%2e/admin", null)]
    [InlineData("/api/.%2E/admin", null)]
    [InlineData("/api\\..\\admin", null)]
    [InlineData("//api/../admin", null)]
    [InlineData("/api%2f../admin", null)]
    [InlineData("/api%2fitems", null)]
    [InlineData("/API/items", null)]
    [InlineData("/api", null)]
    [InlineData("/api/items/../../admin", null)]
    [InlineData("/%2e%2e/api/items", "/api/items")] // dot-segments above the root are dropped (RFC 3986 §5.2.4)
    public async Task AllowApiOnly_BypassAttempt_IsDeniedOrForwardedAsAuthorized(string target, string? forwarded)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Address, g => g.AddAuthorizationPolicy("api-only", p => p.Allow().Rule(r => r.To(paths: ["/api/*"]))));

        var raw = await RawHttp.SendAsync(gateway.Port, $"GET {target} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

        AssertOutcome(target, raw, upstream, forwarded);
    }

    [Theory]
    [InlineData("admin.example.com")]
    [InlineData("ADMIN.Example.COM")]
    [InlineData("admin.example.com:8443")]
    [InlineData("admin.example.com:")]
    [InlineData("admin.example.com.")]
    [InlineData("admin.example.com.:80")]
    [InlineData("Admin.Example.Com.:8443", "admin.example.com:8443")]
    [InlineData("admin.example.com.:8443", "*.example.com:8443")]
    // Kestrel refuses these before any policy runs.
    [InlineData("admin.example.com..")]
    [InlineData("admin.example.com :80")]
    public async Task DenyHost_CaseOrPortOrTrailingDot_IsNotForwarded(string host, string denied = "admin.example.com")
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Address, g => g.AddAuthorizationPolicy("deny-admin-host", p => p.Deny().Rule(r => r.To(hosts: [denied]))));

        var raw = await RawHttp.SendAsync(gateway.Port, $"GET /x HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        Assert.True(RawHttp.StatusCodes(raw) is [403] or [400] or [404], $"{host}: {raw}");
        Assert.Empty(upstream.Seen);
    }

    [Theory]
    [InlineData("app.example.com", 200)]
    [InlineData("APP.example.com", 200)]
    [InlineData("app.example.com:8080", 200)]
    [InlineData("admin.example.com", 403)]
    [InlineData("app.example.com.", 200)] // the same DNS name, fully qualified
    [InlineData("admin.example.com.", 403)]
    [InlineData("app.example.com.evil.com", 403)]
    [InlineData("evil.com#app.example.com", 400)]
    public async Task AllowHost_OnlyTheListedHostIsForwarded(string host, int expected)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream.Address, g => g.AddAuthorizationPolicy("app-only", p => p.Allow().Rule(r => r.To(hosts: ["app.example.com"]))));

        var raw = await RawHttp.SendAsync(gateway.Port, $"GET /x HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        Assert.True(RawHttp.StatusCodes(raw) is [var code] && code == expected, $"{host}: {raw}");
        Assert.Equal(expected == 200 ? 1 : 0, upstream.Seen.Length);
    }

    [Theory]
    [InlineData("app.example.com..")]
    [InlineData("app..example.com")]
    [InlineData(".app.example.com")]
    public async Task Forward_HostHttpClientWouldRefuse_ReachesTheUpstreamAsSentNot500(string host)
    {
        // Kestrel admits these hosts and HttpClient's Host parser refuses them: forwarded unvalidated, the upstream
        // decides (a raw upstream, since an upstream Kestrel would answer 400 itself).
        var heads = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var upstream = await FunctionalTests.Infrastructure.RawHttpUpstream.StartAsync(async (stream, head) =>
        {
            heads.Enqueue(head);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        });
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address);

        var raw = await RawHttp.SendAsync(gateway.Port, $"GET /x HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        Assert.True(RawHttp.StatusCodes(raw) is [200], $"{host}: {raw}");
        Assert.Contains($"\r\nHost: {host}\r\n", Assert.Single(heads), StringComparison.Ordinal);
    }

    private static void AssertOutcome(string target, string raw, RecordingUpstream upstream, string? forwarded)
    {
        var codes = RawHttp.StatusCodes(raw);
        if (forwarded is null)
        {
            Assert.True(codes is [403] or [400], $"{target}: expected refusal, got [{string.Join(',', codes)}]; upstream saw [{string.Join(' ', upstream.Targets)}]");
            Assert.Empty(upstream.Seen);
        }
        else
        {
            Assert.True(codes is [200], $"{target}: expected forwarding, got [{string.Join(',', codes)}]");
            Assert.Equal([forwarded], upstream.Targets);
        }
    }

    private static Task<FunctionalTests.Infrastructure.GatewayHost> StartAsync(string upstream, Action<IGatewayBuilder> policies)
        => RequestSmugglingTests.StartGatewayAsync(upstream, policies);
}
