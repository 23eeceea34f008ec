using System.Net;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Routing.Actions;
using Gateway.Middleware.Routing.Cors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// Istio <c>corsPolicy</c> compiled for Envoy's CORS filter (extensions/filters/http/cors/cors_filter.cc):
/// origin matching (Istio <c>allowOrigins</c> StringMatch: exact, prefix, regex anchored to the whole
/// origin; a matcher that accepts the literal "*" allows every origin), header values as Istio's
/// <c>TranslateCORSPolicy</c> builds them, and what the gateway answers.
/// </summary>
public sealed class CorsPolicyTests
{
    [Theory]
    // exact: case-sensitive, whole value (Envoy StringMatcher exact without ignore_case).
    [InlineData("exact", "https://app.example.com", "https://app.example.com", true)]
    [InlineData("exact", "https://app.example.com", "https://APP.example.com", false)]
    [InlineData("exact", "https://app.example.com", "https://app.example.com:8443", false)]
    [InlineData("exact", "https://app.example.com", "http://app.example.com", false)]
    [InlineData("exact", "null", "null", true)]
    // exact "*": any origin (Envoy checks match("*") first).
    [InlineData("exact", "*", "https://anything.test", true)]
    [InlineData("exact", "*", "null", true)]
    // prefix: plain string prefix.
    [InlineData("prefix", "https://dev.", "https://dev.example.com", true)]
    [InlineData("prefix", "https://dev.", "https://dev.", true)]
    [InlineData("prefix", "https://dev.", "http://dev.example.com", false)]
    [InlineData("prefix", "", "https://anything.test", true)]
    // regex: RE2 syntax, must match the whole origin.
    [InlineData("regex", @"https://[a-z]+\.example\.com", "https://shop.example.com", true)]
    [InlineData("regex", @"https://[a-z]+\.example\.com", "https://shop.example.com.evil.test", false)]
    [InlineData("regex", @"https://[a-z]+\.example\.com", "evil://https://shop.example.com", false)]
    [InlineData("regex", @"https://[a-z]+\.example\.com", "https://a.b.example.com", false)]
    [InlineData("regex", @"https?://(?P<sub>[a-z]+)\.example\.com(:\d+)?", "http://api.example.com:8080", true)]
    [InlineData("regex", ".*", "https://anything.test", true)]
    public void IsOriginAllowed_IstioStringMatch_MatchesAsEnvoy(string kind, string pattern, string origin, bool expected)
    {
        var policy = Compile(new CorsConfig { AllowOrigins = [Origin(kind, pattern)] });

        Assert.Equal(expected, policy.IsOriginAllowed(origin));
    }

    [Theory]
    [InlineData("exact", "*", true)]
    [InlineData("prefix", "", true)]
    [InlineData("regex", ".*", true)]
    [InlineData("exact", "https://app.example.com", false)]
    [InlineData("prefix", "https://", false)]
    [InlineData("regex", "https://.*", false)]
    public void AllowsAnyOrigin_MatcherAcceptsLiteralStar_AsEnvoy(string kind, string pattern, bool expected)
    {
        var policy = Compile(new CorsConfig { AllowOrigins = [Origin(kind, pattern)] });

        Assert.Equal(expected, policy.AllowsAnyOrigin);
    }

    [Fact]
    public void IsOriginAllowed_SeveralMatchers_AnyOneAllows()
    {
        var policy = Compile(new CorsConfig
        {
            AllowOrigins =
            [
                new StringMatchConfig(StringMatchKind.Exact, "https://a.test"),
                new StringMatchConfig(StringMatchKind.Prefix, "https://b."),
                new StringMatchConfig(StringMatchKind.Regex, @"https://c\d\.test"),
            ],
        });

        Assert.True(policy.IsOriginAllowed("https://a.test"));
        Assert.True(policy.IsOriginAllowed("https://b.anything"));
        Assert.True(policy.IsOriginAllowed("https://c7.test"));
        Assert.False(policy.IsOriginAllowed("https://d.test"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://a.test")]
    public void IsOriginAllowed_NoAllowOrigins_NothingAllowed(string origin)
    {
        Assert.False(Compile(new CorsConfig()).IsOriginAllowed(origin));
    }

    [Fact]
    public void IsOriginAllowed_EmptyOrigin_NeverAllowedEvenForStar()
    {
        var policy = Compile(new CorsConfig { AllowOrigins = [new StringMatchConfig(StringMatchKind.Exact, "*")] });

        Assert.False(policy.IsOriginAllowed(""));
    }

    [Fact]
    public void Compile_Lists_JoinedWithCommaOnce()
    {
        // Istio TranslateCORSPolicy: strings.Join(list, ",").
        var policy = Compile(new CorsConfig
        {
            AllowMethods = ["GET", "POST", "PUT"],
            AllowHeaders = ["content-type", "x-custom"],
            ExposeHeaders = ["x-trace-id"],
        });

        Assert.Equal("GET,POST,PUT", policy.AllowMethods);
        Assert.Equal("content-type,x-custom", policy.AllowHeaders);
        Assert.Equal("x-trace-id", policy.ExposeHeaders);
        Assert.False(policy.EchoRequestMethod);
        Assert.False(policy.EchoRequestHeaders);
    }

    [Fact]
    public void Compile_NothingConfigured_NoHeaderValues()
    {
        var policy = Compile(new CorsConfig());

        Assert.Null(policy.AllowMethods);
        Assert.Null(policy.AllowHeaders);
        Assert.Null(policy.ExposeHeaders);
        Assert.Null(policy.MaxAge);
        Assert.False(policy.AllowCredentials);
        Assert.True(policy.ForwardUnmatchedPreflights);
    }

    [Theory]
    [InlineData(86400.0, "86400")]
    [InlineData(90.9, "90")]
    [InlineData(0.5, "0")]
    [InlineData(0.0, "0")]
    public void Compile_MaxAge_WholeSecondsAsIstio(double seconds, string expected)
    {
        Assert.Equal(expected, Compile(new CorsConfig { MaxAge = TimeSpan.FromSeconds(seconds) }).MaxAge);
    }

    [Fact]
    public void Compile_StarMethodsAndHeaders_EchoTheRequest()
    {
        var policy = Compile(new CorsConfig { AllowMethods = ["*"], AllowHeaders = ["*"] });

        Assert.True(policy.EchoRequestMethod);
        Assert.True(policy.EchoRequestHeaders);
    }

    [Fact]
    public void Handle_AllowedPreflight_Answers200WithEveryPreflightHeader()
    {
        var policy = Compile(FullConfig());
        var context = Request("OPTIONS", "https://app.example.com", requestMethod: "PUT", requestHeaders: "x-custom");

        Assert.True(CorsHandler.Handle(context, policy));

        var headers = context.Response.Headers;
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(0, context.Response.ContentLength);
        Assert.Equal("https://app.example.com", headers.AccessControlAllowOrigin);
        Assert.Equal("GET,PUT", headers.AccessControlAllowMethods);
        Assert.Equal("content-type,x-custom", headers.AccessControlAllowHeaders);
        Assert.Equal("600", headers.AccessControlMaxAge);
        Assert.Equal("true", headers.AccessControlAllowCredentials);
        Assert.False(headers.ContainsKey("Access-Control-Expose-Headers"));
        Assert.False(headers.ContainsKey("Vary"));
    }

    [Fact]
    public void Handle_UnmatchedPreflightForward_NotAnswered()
    {
        var context = Request("OPTIONS", "https://evil.test", requestMethod: "PUT");

        Assert.False(CorsHandler.Handle(context, Compile(FullConfig())));
        Assert.Empty(context.Response.Headers);
    }

    [Fact]
    public void Handle_UnmatchedPreflightIgnore_Answered200WithoutAllowOrigin()
    {
        // Istio unmatchedPreflights IGNORE = Envoy forward_not_matching_preflights false: the filter still
        // answers, with the policy's other headers but no Access-Control-Allow-Origin.
        var policy = new CorsPolicy(FullConfig()) { ForwardUnmatchedPreflights = false };
        var context = Request("OPTIONS", "https://evil.test", requestMethod: "PUT");

        Assert.True(CorsHandler.Handle(context, policy));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Access-Control-Allow-Origin"));
        Assert.Equal("GET,PUT", context.Response.Headers.AccessControlAllowMethods);
    }

    [Theory]
    [InlineData("OPTIONS", null)] // no Access-Control-Request-Method: not a preflight
    [InlineData("OPTIONS", "")]
    [InlineData("GET", "PUT")]
    [InlineData("POST", null)]
    public void Handle_NotAPreflight_NotAnswered(string method, string? requestMethod)
    {
        var context = Request(method, "https://app.example.com", requestMethod);

        Assert.False(CorsHandler.Handle(context, Compile(FullConfig())));
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Empty(context.Response.Headers);
    }

    [Fact]
    public void Handle_NoOrigin_NotAnswered()
    {
        var context = Request("OPTIONS", origin: null, requestMethod: "PUT");

        Assert.False(CorsHandler.Handle(context, Compile(FullConfig())));
        Assert.Empty(context.Response.Headers);
    }

    [Fact]
    public void Handle_StarHeadersWithoutRequestedHeaders_NoAllowHeaders()
    {
        var policy = Compile(new CorsConfig { AllowOrigins = [new StringMatchConfig(StringMatchKind.Exact, "*")], AllowHeaders = ["*"] });
        var context = Request("OPTIONS", "https://a.test", requestMethod: "GET");

        Assert.True(CorsHandler.Handle(context, policy));
        Assert.False(context.Response.Headers.ContainsKey("Access-Control-Allow-Headers"));
    }

    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com")]
    [InlineData("https://evil.test", null)]
    [InlineData(null, null)]
    public async Task Routing_ActualRequest_ResponseDecoratedOnlyForAllowedOrigin(string? origin, string? expectedAllowOrigin)
    {
        using var server = await StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cors");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("reached", await response.Content.ReadAsStringAsync());
        if (expectedAllowOrigin is null)
        {
            Assert.Equal(["from-terminal"], response.Headers.GetValues("Access-Control-Allow-Origin"));
            Assert.False(response.Headers.Contains("Access-Control-Expose-Headers"));
        }
        else
        {
            Assert.Equal([expectedAllowOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
            Assert.Equal(["true"], response.Headers.GetValues("Access-Control-Allow-Credentials"));
            Assert.Equal(["x-trace-id,x-total"], response.Headers.GetValues("Access-Control-Expose-Headers"));
        }
    }

    [Fact]
    public async Task Routing_AllowedPreflight_AnsweredBeforeLaterStages()
    {
        using var server = await StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/cors");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal(["https://app.example.com"], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Routing_RuleWithoutCors_PreflightReachesLaterStages()
    {
        using var server = await StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/plain");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await client.SendAsync(request);

        Assert.Equal("reached", await response.Content.ReadAsStringAsync());
        Assert.Equal(["from-terminal"], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    private static CorsPolicy Compile(CorsConfig config) => new(config);

    private static StringMatchConfig Origin(string kind, string value) => new(
        kind switch
        {
            "exact" => StringMatchKind.Exact,
            "prefix" => StringMatchKind.Prefix,
            _ => StringMatchKind.Regex,
        },
        value);

    private static CorsConfig FullConfig() => new()
    {
        AllowOrigins = [new StringMatchConfig(StringMatchKind.Exact, "https://app.example.com")],
        AllowMethods = ["GET", "PUT"],
        AllowHeaders = ["content-type", "x-custom"],
        ExposeHeaders = ["x-trace-id", "x-total"],
        MaxAge = TimeSpan.FromMinutes(10),
        AllowCredentials = true,
    };

    private static DefaultHttpContext Request(string method, string? origin, string? requestMethod = null, string? requestHeaders = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        if (requestMethod is not null)
        {
            context.Request.Headers.AccessControlRequestMethod = requestMethod;
        }

        if (requestHeaders is not null)
        {
            context.Request.Headers.AccessControlRequestHeaders = requestHeaders;
        }

        return context;
    }

    // Stops after routing: the terminal stands in for the forwarder and sets its own Allow-Origin.
    private static async Task<TestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGateway()
            .AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"))
            .AddRoute("cors", r => r
                .MatchPathPrefix("/cors")
                .Cors(c => c
                    .AllowOrigin(exact: "https://app.example.com")
                    .AllowMethods("GET")
                    .ExposeHeaders("x-trace-id", "x-total")
                    .AllowCredentials())
                .RouteTo("up"))
            .AddRoute("plain", r => r.RouteTo("up"));
        var app = builder.Build();
        app.UseGatewayHostMatching();
        app.UseGatewayRouting();
        app.Run(context =>
        {
            context.Response.Headers.AccessControlAllowOrigin = "from-terminal";
            return context.Response.WriteAsync("reached");
        });
        await app.StartAsync();
        return app.GetTestServer();
    }
}
