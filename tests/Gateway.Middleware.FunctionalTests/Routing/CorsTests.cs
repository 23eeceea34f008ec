using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Routing;

/// <summary>
/// Istio <c>corsPolicy</c> end to end, with Envoy's CORS filter semantics (extensions/filters/http/cors,
/// cors_filter.cc and cors_filter_integration_test.cc): allowed preflights are answered 200 by the gateway
/// and never reach the upstream; unmatched preflights are forwarded unchanged (Istio
/// <c>unmatchedPreflights: FORWARD</c>, the default); actual requests from an allowed origin get
/// Allow-Origin (the origin), Allow-Credentials and Expose-Headers on whatever response comes back.
/// </summary>
public sealed class CorsTests
{
    private const string AllowedOrigin = "https://app.example.com";

    [Theory]
    [InlineData("https://app.example.com")] // exact
    [InlineData("https://dev.anything.test")] // prefix "https://dev."
    [InlineData("https://shop.example.org")] // regex, whole origin
    public async Task Preflight_AllowedOrigin_AnsweredByGatewayUpstreamSeesNothing(string origin)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();

        using var response = await client.SendAsync(Preflight("/cors/items", origin, "POST", "content-type,x-custom"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(origin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET,POST", Single(response, "Access-Control-Allow-Methods"));
        Assert.Equal("content-type,x-custom", Single(response, "Access-Control-Allow-Headers"));
        Assert.Equal("86400", Single(response, "Access-Control-Max-Age"));
        Assert.Equal("true", Single(response, "Access-Control-Allow-Credentials"));
        Assert.False(response.Headers.Contains("Access-Control-Expose-Headers"));
        Assert.False(response.Headers.Contains("Vary"));
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, upstream.Count);
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("https://app.example.com.evil.test")] // exact is exact
    [InlineData("HTTPS://APP.EXAMPLE.COM")] // Envoy's exact match is case-sensitive
    [InlineData("https://shop.example.org.evil.test")] // the regex must match the whole origin
    public async Task Preflight_DisallowedOrigin_ForwardedUnchangedWithoutCorsHeaders(string origin)
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();

        using var response = await client.SendAsync(Preflight("/cors/items", origin, "POST", "x-custom"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("yes", Single(response, "X-Upstream"));
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(1, upstream.Count);
        Assert.Equal("OPTIONS", upstream.Method);
        Assert.Equal(origin, upstream.Headers!["Origin"]);
        Assert.Equal("POST", upstream.Headers["Access-Control-Request-Method"]);
        Assert.Equal("x-custom", upstream.Headers["Access-Control-Request-Headers"]);
    }

    [Fact]
    public async Task Options_WithoutRequestMethodHeader_IsNotAPreflightAndIsForwarded()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/cors/items");
        request.Headers.Add("Origin", AllowedOrigin);

        using var response = await client.SendAsync(request);

        // An actual CORS request (Envoy: OPTIONS without Access-Control-Request-Method): forwarded, decorated.
        Assert.Equal(1, upstream.Count);
        Assert.Equal("yes", Single(response, "X-Upstream"));
        Assert.Equal(AllowedOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task ActualRequest_AllowedOrigin_UpstreamResponseGetsOriginCredentialsAndExpose()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cors/items");
        request.Headers.Add("Origin", AllowedOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream body", await response.Content.ReadAsStringAsync());
        Assert.Equal("yes", Single(response, "X-Upstream"));
        Assert.Equal(AllowedOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Single(response, "Access-Control-Allow-Credentials"));
        Assert.Equal("x-trace-id,x-total", Single(response, "Access-Control-Expose-Headers"));

        // Preflight-only headers stay off actual responses, and Envoy adds no Vary.
        Assert.False(response.Headers.Contains("Access-Control-Allow-Methods"));
        Assert.False(response.Headers.Contains("Access-Control-Max-Age"));
        Assert.False(response.Headers.Contains("Vary"));
        Assert.Equal(AllowedOrigin, upstream.Headers!["Origin"]);
    }

    [Fact]
    public async Task ActualRequest_AllowedOrigin_OverwritesTheUpstreamsAllowOrigin()
    {
        await using var upstream = await RecordingUpstream.StartAsync(allowOrigin: "*");
        await using var gateway = await StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cors/items");
        request.Headers.Add("Origin", AllowedOrigin);

        using var response = await client.SendAsync(request);

        // Envoy's encodeHeaders uses setInline: one value, the request's origin.
        Assert.Equal(AllowedOrigin, Single(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ActualRequest_DisallowedOrigin_NoCorsHeadersAddedUpstreamOnesKept()
    {
        await using var upstream = await RecordingUpstream.StartAsync(allowOrigin: "https://upstream-choice.test");
        await using var gateway = await StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cors/items");
        request.Headers.Add("Origin", "https://evil.example.com");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, upstream.Count);
        Assert.Equal("https://upstream-choice.test", Single(response, "Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.False(response.Headers.Contains("Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task ActualRequest_WithoutOrigin_NoCorsHeaders()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/cors/items", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RuleWithoutCorsPolicy_PreflightForwardedAndResponseUntouched()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartGatewayAsync(upstream.Address);
        using var client = gateway.CreateClient();

        using var preflight = await client.SendAsync(Preflight("/plain", AllowedOrigin, "POST", "x-custom"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/plain");
        request.Headers.Add("Origin", AllowedOrigin);
        using var actual = await client.SendAsync(request);

        Assert.Equal(2, upstream.Count);
        Assert.Equal("yes", Single(preflight, "X-Upstream"));
        Assert.DoesNotContain(preflight.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(actual.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ActualRequest_AllowedOrigin_GatewayLocalReplyIsDecoratedToo()
    {
        // Envoy's router answers 503 below the CORS filter, so its local reply passes encodeHeaders.
        await using var gateway = await StartGatewayAsync("http://127.0.0.1:1");
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cors/items");
        request.Headers.Add("Origin", AllowedOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(AllowedOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Single(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Preflight_ExactStarAndWildcardMethodsAndHeaders_ReflectsTheRequest()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("app", u => u.Endpoint(upstream.Address))
            .AddRoute("any", r => r
                .Cors(c => c.AllowOrigin(exact: "*").AllowMethods("*").AllowHeaders("*").MaxAge(TimeSpan.FromSeconds(90.9)))
                .RouteTo("app")));
        using var client = gateway.CreateClient();

        using var response = await client.SendAsync(Preflight("/", "https://whoever.test", "PATCH", "x-a,x-b"));

        // Istio allowOrigins exact "*": any origin, reflected (never a literal "*"); Envoy echoes the
        // requested method and headers when the configured value is exactly "*"; maxAge in whole seconds.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://whoever.test", Single(response, "Access-Control-Allow-Origin"));
        Assert.Equal("PATCH", Single(response, "Access-Control-Allow-Methods"));
        Assert.Equal("x-a,x-b", Single(response, "Access-Control-Allow-Headers"));
        Assert.Equal("90", Single(response, "Access-Control-Max-Age"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.Equal(0, upstream.Count);
    }

    [Fact]
    public async Task Preflight_OverHttp2_AnsweredByGateway()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(
            g => g.AddUpstream("app", u => u.Endpoint(upstream.Address))
                .AddRoute("cors", r => r.Cors(c => c.AllowOrigin(exact: AllowedOrigin).AllowMethods("GET")).RouteTo("app")),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        using var client = gateway.CreateClient(HttpVersion.Version20);

        using var request = Preflight("/", AllowedOrigin, "GET", null);
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AllowedOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET", Single(response, "Access-Control-Allow-Methods"));
        Assert.Equal(0, upstream.Count);
    }

    private static Task<GatewayHost> StartGatewayAsync(string upstreamAddress)
        => GatewayHost.StartAsync(g => g
            .AddUpstream("app", u => u.Endpoint(upstreamAddress))
            .AddRoute("cors", r => r
                .MatchPathPrefix("/cors")
                .Cors(c => c
                    .AllowOrigin(exact: AllowedOrigin)
                    .AllowOrigin(prefix: "https://dev.")
                    .AllowOrigin(regex: @"https://[a-z]+\.example\.org")
                    .AllowMethods("GET", "POST")
                    .AllowHeaders("content-type", "x-custom")
                    .ExposeHeaders("x-trace-id", "x-total")
                    .MaxAge(TimeSpan.FromHours(24))
                    .AllowCredentials())
                .RouteTo("app"))
            .AddRoute("plain", r => r.RouteTo("app")));

    private static HttpRequestMessage Preflight(string path, string origin, string method, string? headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        return request;
    }

    private static string Single(HttpResponseMessage response, string name)
        => Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : []);

    /// <summary>Counts requests, records the last one's method and headers, answers 200 "upstream body".</summary>
    private sealed class RecordingUpstream : IAsyncDisposable
    {
        private TestUpstream? _upstream;
        private int _count;
        private volatile string? _method;
        private volatile Dictionary<string, string>? _headers;

        public string Address => _upstream!.Address;

        public int Count => Volatile.Read(ref _count);

        public string? Method => _method;

        public Dictionary<string, string>? Headers => _headers;

        public static async Task<RecordingUpstream> StartAsync(string? allowOrigin = null)
        {
            var recorder = new RecordingUpstream();
            recorder._upstream = await TestUpstream.StartAsync(async context =>
            {
                recorder._method = context.Request.Method;
                recorder._headers = HeaderRecordingUpstream.Snapshot(context.Request.Headers);
                Interlocked.Increment(ref recorder._count);
                context.Response.Headers["X-Upstream"] = "yes";
                if (allowOrigin is not null)
                {
                    context.Response.Headers.AccessControlAllowOrigin = allowOrigin;
                }

                await context.Response.WriteAsync("upstream body");
            });
            return recorder;
        }

        public ValueTask DisposeAsync() => _upstream!.DisposeAsync();
    }
}
