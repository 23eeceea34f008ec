using System.Collections.Concurrent;
using Gateway.Middleware.Authorization;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Authorization;

/// <summary>
/// Bypass attempts over raw sockets (CVE-2021-31920 and Istio's path normalization table) against a
/// route with prefix <c>/admin</c> that answers differently from the catch-all: each normalized path
/// lands on /admin's rule, and the upstream receives the path that was routed.
/// </summary>
public sealed class PathNormalizationTests
{
    [Theory]
    // Default MERGE_SLASHES.
    [InlineData(null, "//admin", "admin", "/admin")]
    [InlineData(null, "///admin//x", "admin", "/admin/x")]
    [InlineData(null, "/a/../admin", "admin", "/admin")]
    [InlineData(null, "/public/../admin", "admin", "/admin")]
    [InlineData(null, "/%61dmin", "admin", "/admin")]
    [InlineData(null, "/%41dmin", "public", "/Admin")]
    [InlineData(null, "/admin#frag", "admin", "/admin")]
    [InlineData(null, "/admin?x=1#frag", "admin", "/admin?x=1")]
    [InlineData(null, "/public#/../admin", "public", "/public")]
    [InlineData(null, "/a/%2e%2e/admin", "admin", "/admin")]
    [InlineData(null, "/a/%2E%2E/admin", "admin", "/admin")]
    [InlineData(null, "/\\admin", "admin", "/admin")]
    [InlineData(null, "/a\\..\\admin", "admin", "/admin")]
    [InlineData(null, "/%2Fadmin", "public", "/%2Fadmin")]
    [InlineData(null, "/%5Cadmin", "public", "/%5Cadmin")]
    // Encoded slashes kept encoded are forwarded as sent, never double-encoded.
    [InlineData(null, "/admin/a%2Fb", "admin", "/admin/a%2Fb")]
    [InlineData(null, "/admin/a%2fb", "admin", "/admin/a%2Fb")]
    [InlineData(null, "/admin/a%252Fb", "admin", "/admin/a%252Fb")]
    [InlineData(null, "/admin/b%20c?q=%2F", "admin", "/admin/b%20c?q=%2F")]
    // Istio BASE: "//" is kept, so "//admin" misses /admin's rule (the bypass DESIGN.md's default closes).
    [InlineData(PathNormalization.Base, "//admin", "public", "//admin")]
    [InlineData(PathNormalization.Base, "/a/../admin", "admin", "/admin")]
    [InlineData(PathNormalization.Base, "/%61dmin", "admin", "/admin")]
    [InlineData(PathNormalization.Base, "/\\admin", "public", "//admin")]
    [InlineData(PathNormalization.Base, "/%2Fadmin", "public", "/%2Fadmin")]
    // DECODE_AND_MERGE_SLASHES: "%2F" and "%5C" are slashes.
    [InlineData(PathNormalization.DecodeAndMergeSlashes, "/%2Fadmin", "admin", "/admin")]
    [InlineData(PathNormalization.DecodeAndMergeSlashes, "/%5cadmin", "admin", "/admin")]
    [InlineData(PathNormalization.DecodeAndMergeSlashes, "/a%2F..%2Fadmin", "admin", "/admin")]
    [InlineData(PathNormalization.DecodeAndMergeSlashes, "//admin", "admin", "/admin")]
    // NONE: Kestrel's own parsing only (it always resolves dot-segments and decodes).
    [InlineData(PathNormalization.None, "//admin", "public", "//admin")]
    [InlineData(PathNormalization.None, "/a/../admin", "admin", "/admin")]
    // Kestrel keeps a fragment in Path and resolves "/.." across it; the fragment is dropped in every mode.
    [InlineData(PathNormalization.None, "/admin#frag", "admin", "/admin")]
    [InlineData(PathNormalization.None, "/public#/../admin", "public", "/public")]
    [InlineData(PathNormalization.Base, "/public/x#/../../admin", "public", "/public/x")]
    public async Task Gateway_RawTarget_IsRoutedAndForwardedNormalized(PathNormalization? mode, string target, string expectedRoute, string expectedUpstreamTarget)
    {
        await using var upstreams = await Upstreams.StartAsync();
        await using var gateway = await upstreams.StartGatewayAsync(mode);

        var response = await HeaderForwardingTests.SendRawAsync(gateway.Port, $"GET {target} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal([(expectedRoute, expectedUpstreamTarget)], upstreams.Seen);
    }

    [Theory]
    // Istio: "%00 ... The request will always be rejected with HTTP code 400".
    [InlineData(null, "/admin%00")]
    [InlineData(null, "/%00/../admin")]
    [InlineData(PathNormalization.None, "/public%00.html")]
    [InlineData(PathNormalization.Base, "/public/%00")]
    [InlineData(PathNormalization.DecodeAndMergeSlashes, "/%00")]
    // Invalid escapes.
    [InlineData(null, "/public%zz")]
    [InlineData(null, "/public%2")]
    [InlineData(PathNormalization.None, "/public%G1")]
    public async Task Gateway_NulOrInvalidEscape_Answers400AndNothingReachesTheUpstream(PathNormalization? mode, string target)
    {
        await using var upstreams = await Upstreams.StartAsync();
        await using var gateway = await upstreams.StartGatewayAsync(mode);

        var response = await HeaderForwardingTests.SendRawAsync(gateway.Port, $"GET {target} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Empty(upstreams.Seen);
    }

    [Fact]
    public async Task Gateway_AbsoluteFormTarget_IsNormalizedToo()
    {
        await using var upstreams = await Upstreams.StartAsync();
        await using var gateway = await upstreams.StartGatewayAsync(mode: null);

        var response = await HeaderForwardingTests.SendRawAsync(gateway.Port, "GET http://app.example.com//a/../%61dmin HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal([("admin", "/admin")], upstreams.Seen);
    }

    [Fact]
    public async Task UseGatewayRouting_WithoutTheNormalizationStage_StillRoutesTheNormalizedPath()
    {
        await using var upstreams = await Upstreams.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        upstreams.Configure(builder.Services.AddGateway());
        await using var app = builder.Build();
        app.UseGatewayRouting();
        app.UseGatewayForwarding();
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        var ok = await HeaderForwardingTests.SendRawAsync(port, "GET //admin HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");
        var rejected = await HeaderForwardingTests.SendRawAsync(port, "GET /admin%00 HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", ok, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", rejected, StringComparison.Ordinal);
        Assert.Equal([("admin", "/admin")], upstreams.Seen);
        await app.StopAsync();
    }

    [Fact]
    public async Task UsePathBase_BeforeTheGateway_KeepsTheBaseAndNormalizesTheRest()
    {
        await using var upstreams = await Upstreams.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(upstreams.Configure, beforeGateway: app => app.UsePathBase("/base"));

        var response = await HeaderForwardingTests.SendRawAsync(gateway.Port, "GET /base//x/../admin HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal([("admin", "/base/admin")], upstreams.Seen);
    }

    /// <summary>Two upstreams: one behind the <c>/admin</c> prefix rule, one behind the catch-all.</summary>
    private sealed class Upstreams : IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string Route, string Target)> _seen = new();
        private TestUpstream? _admin;
        private TestUpstream? _public;

        public (string Route, string Target)[] Seen => _seen.ToArray();

        public static async Task<Upstreams> StartAsync()
        {
            var upstreams = new Upstreams();
            upstreams._admin = await TestUpstream.StartAsync(upstreams.Record("admin"));
            upstreams._public = await TestUpstream.StartAsync(upstreams.Record("public"));
            return upstreams;
        }

        public Task<GatewayHost> StartGatewayAsync(PathNormalization? mode)
            => GatewayHost.StartAsync(g =>
            {
                if (mode is { } m)
                {
                    g.ConfigurePaths(p => p.Normalization = m);
                }

                Configure(g);
            });

        public void Configure(Gateway.Middleware.Builder.IGatewayBuilder gateway)
            => gateway
                .AddUpstream("admin", u => u.Endpoint(_admin!.Address))
                .AddUpstream("public", u => u.Endpoint(_public!.Address))
                .AddRoute("admin", r => r.MatchPathPrefix("/admin").RouteTo("admin"))
                .AddRoute("public", r => r.RouteTo("public"));

        public async ValueTask DisposeAsync()
        {
            await _admin!.DisposeAsync();
            await _public!.DisposeAsync();
        }

        private RequestDelegate Record(string route) => context =>
        {
            _seen.Enqueue((route, context.Features.Get<IHttpRequestFeature>()!.RawTarget));
            return Task.CompletedTask;
        };
    }
}
