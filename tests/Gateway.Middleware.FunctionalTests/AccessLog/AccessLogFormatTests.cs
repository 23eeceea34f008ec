using System.Net;
using System.Text.Json;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Diagnostics;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.AccessLog;

/// <summary>
/// <c>GatewayAccessLogOptions</c>: Istio's text format, custom format strings with Envoy's command operators, JSON
/// encoding (Istio <c>accessLogEncoding: JSON</c>), retry-exhaustion flag URX, and redaction of credentials.
/// </summary>
public sealed class AccessLogFormatTests
{
    [Fact]
    public async Task ConnectFailure_DefaultRetriesExhausted_FlagsUFAndURX()
    {
        // Istio's default retry policy retries connect-failure twice; when the last try fails too, Envoy flags UF,URX.
        var port = ErrorMappingTests.GetClosedPort();
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, null, g => g
            .AddUpstream("dead", u => u.Endpoint($"http://127.0.0.1:{port}"))
            .AddRoute("all", r => r.RouteTo("dead")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"GET / HTTP/1.1\" 503 UF,URX ", await sink.WaitForLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryOn5xx_UpstreamKeepsAnswering503_FlagURX_NoRetryPolicyNoFlag()
    {
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, null, g => g
            .AddUpstream("flaky", u => u.Endpoint(upstream.Address))
            .AddRoute("retried", r => r.MatchPathPrefix("/retried").Retries(1, retryOn: "5xx").RouteTo("flaky"))
            .AddRoute("plain", r => r.MatchPathPrefix("/plain").Retries(0).RouteTo("flaky")));
        using var client = gateway.CreateClient();

        using var retried = await client.GetAsync("/retried");
        await sink.WaitForLineAsync(1);
        using var plain = await client.GetAsync("/plain");
        await sink.WaitForLineAsync(2);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, retried.StatusCode);
        Assert.Contains("\"GET /retried HTTP/1.1\" 503 URX ", sink.Lines[0], StringComparison.Ordinal);
        Assert.Contains("\"GET /plain HTTP/1.1\" 503 - ", sink.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PerTryTimeout_LastTryTimesOut_FlagsUTAndURX()
    {
        await using var upstream = await TestUpstream.StartAsync(async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, null, g => g
            .AddUpstream("slow", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.Retries(1, perTryTimeout: TimeSpan.FromMilliseconds(100), retryOn: "5xx").RouteTo("slow")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("\" 504 UT,URX ", await sink.WaitForLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IstioFormat_RoutedAndUnrouted_CodeDetailsClusterAddressesAndRouteName()
    {
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("ok"));
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, o => o.Format = GatewayAccessLogOptions.IstioFormat, g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address))
            .AddRoute("reviews-route", r => r.MatchPathPrefix("/reviews").RouteTo("reviews")));
        using var client = gateway.CreateClient();

        using var routed = await client.GetAsync("/reviews/1");
        await sink.WaitForLineAsync(1);
        using var unrouted = await client.GetAsync("/other");
        await sink.WaitForLineAsync(2);

        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        Assert.Matches(
            $"^\\[[^\\]]+\\] \"GET /reviews/1 HTTP/1\\.1\" 200 - via_upstream - \"-\" 0 2 \\d+ - \"127\\.0\\.0\\.1\" \"-\" \"[0-9a-f-]+\" \"127\\.0\\.0\\.1:\\d+\" \"127\\.0\\.0\\.1:{upstream.Port}\" outbound\\|\\|\\|reviews - 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.1:\\d+ - reviews-route$",
            sink.Lines[0]);
        Assert.Contains("\"GET /other HTTP/1.1\" 404 NR route_not_found - \"-\" 0 0 ", sink.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomFormat_OperatorsAlternativesAndMaxLength()
    {
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            context.Response.Headers["x-served-by"] = "reviews-v1";
            return context.Response.WriteAsync("ok");
        });
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, o => o.Format = "%REQ(:METHOD)% %REQ(X-TENANT?X-FALLBACK)% %REQ(X-LONG):4% %RESP(X-SERVED-BY)% %RESPONSE_CODE% %ROUTE_NAME% %UPSTREAM_CLUSTER% 100%%", g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("x-fallback", "acme");
        request.Headers.Add("x-long", "abcdefgh");

        using var response = await client.SendAsync(request);

        Assert.Equal("GET acme abcd reviews-v1 200 all outbound|||reviews 100%", await sink.WaitForLineAsync());
    }

    [Fact]
    public async Task CustomFormat_CredentialsNamed_PrintedRedacted()
    {
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            context.Response.Headers.SetCookie = "session=secret-6";
            return context.Response.WriteAsync("ok");
        });
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, o => o.Format = "%REQ(AUTHORIZATION)% %REQ(COOKIE)% %REQ(PROXY-AUTHORIZATION)% %REQ(X-API-KEY)% %REQ(X-AUTH-TOKEN)% %RESP(SET-COOKIE)% %REQ(:AUTHORITY)% %REQ(:PATH)% %REQ(X-ABSENT-TOKEN)%", g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p?access_token=secret-7");
        request.Headers.Authorization = new("Bearer", "secret-1");
        request.Headers.Add("Cookie", "session=secret-2");
        request.Headers.Add("Proxy-Authorization", "Basic secret-3");
        request.Headers.Add("X-Api-Key", "secret-4");
        request.Headers.Add("X-Auth-Token", "secret-5");
        request.Headers.Host = "app.example.com";

        using var response = await client.SendAsync(request);
        var line = await sink.WaitForLineAsync();

        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
        Assert.Equal("REDACTED REDACTED REDACTED REDACTED REDACTED REDACTED app.example.com /p?access_token=REDACTED -", line);
    }

    [Fact]
    public async Task JsonEncoding_DefaultIstioKeys_NumbersTypedAbsentValuesNull()
    {
        await using var upstream = await TestUpstream.StartAsync(context => context.Response.WriteAsync("hello"));
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, o => o.Encoding = GatewayAccessLogEncoding.Json, g => g
            .AddUpstream("reviews", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("reviews")));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/a?b=1");
        request.Headers.Add("x-request-id", "req-9");

        using var response = await client.SendAsync(request);
        using var entry = JsonDocument.Parse(await sink.WaitForLineAsync());

        var root = entry.RootElement;
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("/a?b=1", root.GetProperty("path").GetString());
        Assert.Equal(200, root.GetProperty("response_code").GetInt32());
        Assert.Equal(5, root.GetProperty("bytes_sent").GetInt64());
        Assert.Equal("-", root.GetProperty("response_flags").GetString());
        Assert.Equal("via_upstream", root.GetProperty("response_code_details").GetString());
        // The client's "req-9" was replaced at the edge (Envoy preserve_external_request_id: false).
        Assert.True(Guid.TryParse(root.GetProperty("request_id").GetString(), out _), root.GetProperty("request_id").GetString());
        Assert.Equal("outbound|||reviews", root.GetProperty("upstream_cluster").GetString());
        Assert.Equal("all", root.GetProperty("route_name").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("user_agent").ValueKind);
    }

    [Fact]
    public async Task JsonEncoding_CustomKeys()
    {
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, o =>
        {
            o.Encoding = GatewayAccessLogEncoding.Json;
            o.Format = """{"code": "%RESPONSE_CODE%", "flags": "%RESPONSE_FLAGS%", "line": "%REQ(:METHOD)% %REQ(:PATH)%"}""";
        }, g => g.AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1")).AddRoute("only", r => r.MatchPathPrefix("/api").RouteTo("up")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/nothing");

        Assert.Equal("""{"code":404,"flags":"NR","line":"GET /nothing"}""", await sink.WaitForLineAsync());
    }

    [Theory]
    [InlineData(GatewayAccessLogEncoding.Text, "%START_TIME% %NOT_AN_OPERATOR%", "unsupported command operator '%NOT_AN_OPERATOR%'")]
    [InlineData(GatewayAccessLogEncoding.Text, "%REQ(X-A):x%", "'%REQ(X-A):x%': expected ':' and a positive length")]
    [InlineData(GatewayAccessLogEncoding.Text, "[%START_TIME", "never closed")]
    [InlineData(GatewayAccessLogEncoding.Json, "{\"code\": 1}", "JSON format key 'code' must be a string")]
    [InlineData(GatewayAccessLogEncoding.Json, "%RESPONSE_CODE%", "not valid JSON")]
    public async Task BadFormat_FailsAtStartNamingTheProblem(GatewayAccessLogEncoding encoding, string format, string expected)
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(new AccessLogSink(), o =>
        {
            o.Encoding = encoding;
            o.Format = format;
        }, g => g.AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1")).AddRoute("all", r => r.RouteTo("up"))));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    private static Task<GatewayHost> StartAsync(AccessLogSink sink, Action<GatewayAccessLogOptions>? format, Action<IGatewayBuilder> configure)
        => GatewayHost.StartAsync(
            g =>
            {
                g.Services.AddSingleton<ILoggerProvider>(sink);
                g.Services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(null, "Gateway.Middleware.AccessLog", LogLevel.Trace, null)));
                configure(g);
            },
            beforeGateway: app =>
            {
                if (format is null)
                {
                    app.UseGatewayAccessLog();
                }
                else
                {
                    app.UseGatewayAccessLog(format);
                }
            });
}
