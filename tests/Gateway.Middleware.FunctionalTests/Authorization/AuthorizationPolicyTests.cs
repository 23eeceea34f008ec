using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Features;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Authorization;

/// <summary>
/// Istio AuthorizationPolicy through <c>UseGateway()</c> on real Kestrel with a real upstream: denied requests
/// get 403 <c>RBAC: access denied</c> and never reach the upstream; allowed ones are forwarded.
/// </summary>
public sealed class AuthorizationPolicyTests
{
    [Theory]
    [InlineData("/admin", HttpStatusCode.Forbidden)]
    [InlineData("/admin/users?x=1", HttpStatusCode.Forbidden)]
    [InlineData("/administrator", HttpStatusCode.Forbidden)] // Istio "prefix*" is a plain string prefix
    [InlineData("/public", HttpStatusCode.OK)]
    [InlineData("/", HttpStatusCode.OK)]
    public async Task DenyAdminPrefix_DeniedNeverReachesUpstream(string path, HttpStatusCode expected)
    {
        await using var upstream = await CountingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => Route(g, upstream)
            .AddAuthorizationPolicy("deny-admin", p => p.Deny().Rule(r => r.To(paths: ["/admin*"]))));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal("RBAC: access denied", await response.Content.ReadAsStringAsync());
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(0, upstream.Requests);
        }
        else
        {
            Assert.Equal("upstream", await response.Content.ReadAsStringAsync());
            Assert.Equal(1, upstream.Requests);
        }
    }

    [Theory]
    [InlineData("GET", "/api/items", HttpStatusCode.OK)]
    [InlineData("POST", "/api/items", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/other", HttpStatusCode.Forbidden)]
    public async Task AllowOnly_UnmatchedRequestsDenied(string method, string path, HttpStatusCode expected)
    {
        await using var upstream = await CountingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => Route(g, upstream)
            .AddAuthorizationPolicy("read-api", p => p.Allow().Rule(r => r.To(methods: ["GET", "HEAD"], paths: ["/api/*"]))));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? 1 : 0, upstream.Requests);
    }

    [Fact]
    public async Task SpecEmpty_DeniesEverything()
    {
        await using var upstream = await CountingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => Route(g, upstream).AddAuthorizationPolicy("deny-all", p => p.Allow()));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("RBAC: access denied", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, upstream.Requests);
    }

    [Fact]
    public async Task RulesEmptyObject_AllowsEverything()
    {
        await using var upstream = await CountingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => Route(g, upstream)
            .AddAuthorizationPolicy("deny-all", p => p.Allow())
            .AddAuthorizationPolicy("allow-all", p => p.Allow().Rule(_ => { })));
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync(new Uri("/any/path", UriKind.Relative), new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, upstream.Requests);
    }

    [Theory]
    [InlineData(null, null, HttpStatusCode.Forbidden)] // requestPrincipals ["*"]: no token → 403
    [InlineData("alice", "dev", HttpStatusCode.Forbidden)]
    [InlineData("alice", "admins", HttpStatusCode.OK)]
    public async Task PrincipalAndClaimConditions_FromTheJwtStage(string? subject, string? group, HttpStatusCode expected)
    {
        await using var upstream = await CountingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(
            g => Route(g, upstream).AddAuthorizationPolicy("admins", p => p.Rule(r => r
                .From(requestPrincipals: ["https://issuer.example/*"])
                .When("request.auth.claims[groups]", "admins"))),
            beforeGateway: app => app.Use((context, next) =>
            {
                // Stands in for the JWT stage: the feature is created here and reused by every gateway stage.
                if (subject is not null)
                {
                    var feature = GatewayFeature.GetOrCreate(context, context.RequestServices.GetRequiredService<Gateway.Middleware.Configuration.GatewayConfigProvider>());
                    using var claims = System.Text.Json.JsonDocument.Parse($$"""{"groups":["{{group}}"]}""");
                    feature.Principal = new Gateway.Middleware.Authentication.JwtPrincipal("https://issuer.example", subject, [], null, claims.RootElement.Clone());
                }

                return next(context);
            }));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? 1 : 0, upstream.Requests);
    }

    [Theory]
    [InlineData("203.0.113.7", HttpStatusCode.Forbidden)]
    [InlineData("198.51.100.1", HttpStatusCode.OK)]
    public async Task RemoteIpBlocks_ClientFromTrustedForwardedFor(string client, HttpStatusCode expected)
    {
        await using var upstream = await CountingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(
            g => Route(g, upstream).AddAuthorizationPolicy("block", p => p.Deny().Rule(r => r.From(remoteIpBlocks: ["203.0.113.0/24"]))),
            forwarding: f => f.TrustedProxyHops = 1);
        using var http = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9, " + client);

        using var response = await http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task IpBlocks_PeerIsLoopback()
    {
        await using var upstream = await CountingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => Route(g, upstream)
            .AddAuthorizationPolicy("local-only", p => p.Rule(r => r.From(ipBlocks: ["127.0.0.0/8"]))));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static IGatewayBuilder Route(IGatewayBuilder gateway, CountingUpstream upstream)
        => gateway.AddUpstream("svc", u => u.Endpoint(upstream.Address)).AddRoute("all", r => r.Hosts("*").RouteTo("svc"));

    private sealed class CountingUpstream : IAsyncDisposable
    {
        private readonly TestUpstream _upstream;
        private readonly Counter _counter;

        private CountingUpstream(TestUpstream upstream, Counter counter)
        {
            _upstream = upstream;
            _counter = counter;
        }

        public string Address => _upstream.Address;

        public int Requests => Volatile.Read(ref _counter.Value);

        public static async Task<CountingUpstream> StartAsync()
        {
            var counter = new Counter();
            var upstream = await TestUpstream.StartAsync(context =>
            {
                Interlocked.Increment(ref counter.Value);
                return context.Response.WriteAsync("upstream");
            });
            return new CountingUpstream(upstream, counter);
        }

        public ValueTask DisposeAsync() => _upstream.DisposeAsync();

        private sealed class Counter
        {
#pragma warning disable SA1401, CA1051 // a field so Interlocked can update it
            public int Value;
#pragma warning restore SA1401, CA1051
        }
    }
}
