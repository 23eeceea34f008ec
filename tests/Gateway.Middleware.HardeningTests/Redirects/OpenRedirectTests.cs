using Gateway.Middleware.Authorization;
using Gateway.Middleware.Builder;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.HardeningTests.Smuggling;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.HardeningTests.Redirects;

/// <summary>
/// Open redirects (CWE-601): a <c>Location</c> the gateway builds from request data is either absolute with the
/// request's own (routed) host, or a path-absolute reference; never <c>//host</c>, <c>/\host</c> or
/// <c>https:///host</c>, which browsers read as another host.
/// </summary>
public sealed class OpenRedirectTests
{
    public static TheoryData<string> HostileTargetData => [.. HostileTargets];

    private static readonly string[] HostileTargets =
    [
        "//evil.example/x",
        "///evil.example/x",
        "/\\evil.example/x",
        "/\\/evil.example/x",
        "/%2f%2fevil.example/x",
        "/%2F/evil.example/x",
        "/%5c%5cevil.example/x",
        "/.//evil.example/x",
        "/x/..//evil.example/x",
        "/%09/evil.example/x",
        "/old//evil.example/x",
        "/old/\\evil.example/x",
    ];

    [Theory]
    [InlineData(PathNormalization.MergeSlashes)]
    [InlineData(PathNormalization.Base)]
    [InlineData(PathNormalization.None)]
    public async Task Redirect_KeepingThePath_LocationStaysOnTheRequestsHost(PathNormalization mode)
    {
        await using var gateway = await StartAsync(mode, r => r.Redirect(d => d.Scheme("https")));
        foreach (var target in HostileTargets)
        {
            var raw = await RawHttp.SendAsync(gateway.Port, $"GET {target} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

            AssertSafe(raw, "https://app.example.com", $"{mode} {target}");
        }
    }

    [Theory]
    [InlineData(PathNormalization.MergeSlashes)]
    [InlineData(PathNormalization.Base)]
    public async Task Redirect_ReplacingAPrefixWithSlash_LocationStaysOnTheRequestsHost(PathNormalization mode)
    {
        await using var gateway = await StartAsync(mode, r => r.MatchPathPrefix("/old").Redirect(d => d.ReplacePrefix("/")), fallback: true);
        foreach (var target in HostileTargets)
        {
            var raw = await RawHttp.SendAsync(gateway.Port, $"GET {target} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

            AssertSafe(raw, "http://app.example.com", $"{mode} {target}");
        }
    }

    [Theory]
    [MemberData(nameof(HostileTargetData))]
    public async Task Redirect_Http10WithoutHost_LocationIsPathAbsolute(string target)
    {
        await using var gateway = await StartAsync(PathNormalization.Base, r => r.Redirect(d => d.Scheme("https")));

        var raw = await RawHttp.SendAsync(gateway.Port, $"GET {target} HTTP/1.0\r\n\r\n");

        AssertSafe(raw.Replace("HTTP/1.0 ", "HTTP/1.1 ", StringComparison.Ordinal), authority: null, target);
    }

    [Theory]
    [MemberData(nameof(HostileTargetData))]
    public async Task HttpsRedirect_HostileTarget_LocationStaysOnTheRequestsHost(string target)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .ConfigurePaths(p => p.Normalization = PathNormalization.Base)
            .AddServer("http", s => s.Hosts("*").HttpsRedirect())
            .AddUpstream("svc", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("svc")));

        var withHost = await RawHttp.SendAsync(gateway.Port, $"GET {target} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");
        var withoutHost = await RawHttp.SendAsync(gateway.Port, $"GET {target} HTTP/1.0\r\n\r\n");

        AssertSafe(withHost, "https://app.example.com", target);

        // No Host: there is no https URL to send the client to (not "https:///evil.example/x").
        Assert.StartsWith("HTTP/1.1 400", withoutHost, StringComparison.Ordinal);
        Assert.DoesNotContain("Location", withoutHost, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(upstream.Seen);
    }

    /// <summary>A redirect whose Location is absolute on <paramref name="authority"/>, or path-absolute when null.</summary>
    private static void AssertSafe(string raw, string? authority, string because)
    {
        Assert.True(RawHttp.StatusCodes(raw) is [301] or [302] or [400] or [404], $"{because}: {raw}");
        var location = LocationOf(raw);
        if (location is null)
        {
            return;
        }

        if (authority is not null)
        {
            Assert.True(location.StartsWith(authority + "/", StringComparison.Ordinal), $"{because}: Location {location}");
        }
        else
        {
            Assert.True(location.Length >= 1 && location[0] == '/', $"{because}: Location {location}");
        }

        // A browser reads '\' as '/', and a path-absolute reference starting "//" as an authority.
        if (authority is null)
        {
            Assert.False(location.StartsWith("//", StringComparison.Ordinal), $"{because}: Location {location}");
        }

        Assert.DoesNotContain('\\', location);
        Assert.DoesNotContain('\t', location);
        var uri = new Uri(new Uri("https://app.example.com/"), location);
        Assert.Equal("app.example.com", uri.Host);
    }

    private static string? LocationOf(string raw)
    {
        foreach (var line in raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n"))
        {
            if (line.StartsWith("Location:", StringComparison.OrdinalIgnoreCase))
            {
                return line["Location:".Length..].Trim();
            }
        }

        return null;
    }

    private static Task<GatewayHost> StartAsync(PathNormalization mode, Action<GatewayRouteBuilder> redirect, bool fallback = false)
        => GatewayHost.StartAsync(g =>
        {
            g.ConfigurePaths(p => p.Normalization = mode).AddRoute("redirect", redirect);
            if (fallback)
            {
                g.AddRoute("other", r => r.DirectResponse(404));
            }
        });
}
