using System.Net;
using System.Text.RegularExpressions;
using Gateway.Middleware.Builder;
using Gateway.Middleware.FunctionalTests.Forwarding;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.AccessLog;

/// <summary>
/// <c>UseGatewayAccessLog()</c>: one line per request in Envoy's default format (envoyproxy.io, "Access logging",
/// Default format string), with Envoy's response flags, over real sockets.
/// </summary>
public sealed partial class AccessLogTests
{
    [Fact]
    public async Task Forwarded_PostWithBody_OneEnvoyFormatLineWithBytesDurationAndUpstreamHost()
    {
        await using var upstream = await TestUpstream.StartAsync(async context =>
        {
            await BodyForwardingTests.ReadAllAsync(context.Request.Body);
            await context.Response.WriteAsync("hello");
        });
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.Hosts("app.example.com").RouteTo("up")));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders/7?page=2") { Content = new StringContent("0123456789") };
        request.Headers.Host = "app.example.com";
        request.Headers.UserAgent.ParseAdd("test-agent/1.0");
        request.Headers.Add("x-request-id", "req-1");

        using var response = await client.SendAsync(request);
        var line = await sink.WaitForLineAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var match = EnvoyDefaultFormat().Match(line);
        Assert.True(match.Success, line);
        Assert.Equal("POST", match.Groups["method"].Value);
        Assert.Equal("/orders/7?page=2", match.Groups["path"].Value);
        Assert.Equal("HTTP/1.1", match.Groups["protocol"].Value);
        Assert.Equal("200", match.Groups["code"].Value);
        Assert.Equal("-", match.Groups["flags"].Value);
        Assert.Equal("10", match.Groups["received"].Value);
        Assert.Equal("5", match.Groups["sent"].Value);
        Assert.Equal("127.0.0.1", match.Groups["xff"].Value);
        Assert.Equal("test-agent/1.0", match.Groups["agent"].Value);
        // An edge gateway replaces the client's x-request-id (Envoy preserve_external_request_id: false): the log shows the gateway's.
        Assert.True(Guid.TryParse(match.Groups["id"].Value, out _), match.Groups["id"].Value);
        Assert.Equal("app.example.com", match.Groups["authority"].Value);
        Assert.Equal($"127.0.0.1:{upstream.Port}", match.Groups["upstream"].Value);
    }

    [Fact]
    public async Task NoRoute_404_FlagNRAndNoUpstream()
    {
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, g => g
            .AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("only", r => r.Hosts("app.example.com").MatchPathPrefix("/api").RouteTo("up")));
        using var client = gateway.CreateClient();

        using var wrongPath = await SendAsync(client, "app.example.com", "/other");
        using var wrongHost = await SendAsync(client, "nowhere.example.com", "/api");

        Assert.Equal(HttpStatusCode.NotFound, wrongPath.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongHost.StatusCode);
        await sink.WaitForLineAsync(2);
        Assert.All(sink.Lines, line => Assert.Matches("\" 404 NR 0 0 \\d+ - \"127\\.0\\.0\\.1\" \"-\" \"-\" \"[a-z.]+\" \"-\"$", line));
    }

    [Fact]
    public async Task ConnectionRefused_503_FlagUFWithTheDialledEndpoint()
    {
        var port = ErrorMappingTests.GetClosedPort();
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, g => g
            .AddUpstream("dead", u => u.Endpoint($"http://127.0.0.1:{port}"))
            .AddRoute("all", r => r.Retries(0).RouteTo("dead")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");
        var line = await sink.WaitForLineAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"GET / HTTP/1.1\" 503 UF ", line, StringComparison.Ordinal);
        Assert.EndsWith($"\"127.0.0.1:{port}\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteTimeout_504_FlagUT()
    {
        await using var upstream = await TestUpstream.StartAsync(async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, g => g
            .AddUpstream("slow", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.Timeout(TimeSpan.FromMilliseconds(100)).RouteTo("slow")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("\" 504 UT ", await sink.WaitForLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultAbort_FlagFI_DirectResponseNoFlag()
    {
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, g => g
            .AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("fault", r => r.MatchPathPrefix("/fault").Fault(f => f.Abort(503)).RouteTo("up"))
            .AddRoute("direct", r => r.MatchPathPrefix("/direct").DirectResponse(503, "down for maintenance")));
        using var client = gateway.CreateClient();

        using var fault = await client.GetAsync("/fault");
        await sink.WaitForLineAsync(1);
        using var direct = await client.GetAsync("/direct");
        await sink.WaitForLineAsync(2);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, fault.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, direct.StatusCode);
        Assert.Contains("\"GET /fault HTTP/1.1\" 503 FI ", sink.Lines[0], StringComparison.Ordinal);
        Assert.True(sink.Lines[1].Contains("\"GET /direct HTTP/1.1\" 503 - 0 20 ", StringComparison.Ordinal), sink.Lines[1]);
    }

    [Fact]
    public async Task NoRequestId_LogsTheIdGeneratedAndSentUpstream()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/");
        var line = await sink.WaitForLineAsync();

        // Envoy generates x-request-id once in its connection manager; the access log shows that id.
        var sent = upstream.Seen!["x-request-id"];
        Assert.True(Guid.TryParse(sent, out _), sent);
        Assert.Contains($"\"{sent}\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensAndCookies_NeverLogged()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        var sink = new AccessLogSink();
        await using var gateway = await StartAsync(sink, g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p?access_token=secret-1&a=1&id_token=secret-2&my_token=secret-3");
        request.Headers.Authorization = new("Bearer", "secret-4");
        request.Headers.Add("Cookie", "session=secret-5");

        using var response = await client.SendAsync(request);
        var line = await sink.WaitForLineAsync();

        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
        Assert.True(line.Contains("\"GET /p?access_token=REDACTED&a=1&id_token=REDACTED&my_token=REDACTED HTTP/1.1\"", StringComparison.Ordinal), line);
    }

    [Fact]
    public async Task LevelDisabled_NothingLogged_RequestsUnaffected()
    {
        await using var upstream = await TestUpstream.StartAsync(async context =>
            await context.Response.WriteAsync((await BodyForwardingTests.ReadAllAsync(context.Request.Body)).Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var sink = new AccessLogSink(minimum: LogLevel.Warning);
        await using var gateway = await StartAsync(sink, g => g
            .AddUpstream("up", u => u.Endpoint(upstream.Address))
            .AddRoute("all", r => r.RouteTo("up")));
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("/", new StringContent("abc"));

        Assert.Equal("3", await response.Content.ReadAsStringAsync());
        await Task.Delay(50);
        Assert.Empty(sink.Lines);
    }

    private static Task<GatewayHost> StartAsync(AccessLogSink sink, Action<IGatewayBuilder> configure)
        => GatewayHost.StartAsync(
            g =>
            {
                g.Services.AddSingleton<ILoggerProvider>(sink);

                // The test folder's appsettings.json (QuickStart's) sets Default to Warning; the sink decides.
                g.Services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(null, "Gateway.Middleware.AccessLog", LogLevel.Trace, null)));
                configure(g);
            },
            beforeGateway: app => app.UseGatewayAccessLog());

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return client.SendAsync(request);
    }

    // [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
    // %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%"
    // "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
    [GeneratedRegex("""^\[(?<start>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\] "(?<method>\S+) (?<path>\S+) (?<protocol>\S+)" (?<code>\d+) (?<flags>\S+) (?<received>\d+) (?<sent>\d+) (?<duration>\d+) - "(?<xff>[^"]*)" "(?<agent>[^"]*)" "(?<id>[^"]*)" "(?<authority>[^"]*)" "(?<upstream>[^"]*)"$""")]
    private static partial Regex EnvoyDefaultFormat();
}
