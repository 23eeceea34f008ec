using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>
/// Every field of a <c>Gateway:Routes</c> entry binds to the model in Istio's vocabulary (VirtualService
/// <c>HTTPRoute</c>: match, route, redirect, directResponse, rewrite, headers, fault, timeout, retries,
/// mirrors, corsPolicy).
/// </summary>
public sealed class AppSettingsRouteTests
{
    [Fact]
    public void Routes_NameHostsServers_InListOrderWithSectionPath()
    {
        var config = AppSettings.Config("""
            { "Gateway": { "Routes": [
              { "Name": "first", "Hosts": [ "a.example.com", "*.b.example.com" ], "Servers": [ "http", "https" ], "Route": [ { "Destination": { "Host": "up" } } ] },
              { "Name": "second", "Route": [ { "Destination": { "Host": "up" } } ] }
            ] } }
            """);

        Assert.Equal(["first", "second"], config.Routes.Select(r => r.Name));
        var first = config.Routes[0];
        Assert.Equal(["a.example.com", "*.b.example.com"], first.Hosts);
        Assert.Equal(["http", "https"], first.Servers);
        Assert.Equal(RouteOrdering.FirstMatch, first.Ordering);
        Assert.Equal("Gateway:Routes:0", first.Source);
        Assert.Equal("", first.SourcePath);
        Assert.Empty(config.Routes[1].Hosts);
        Assert.Equal("Gateway:Routes:1", config.Routes[1].Source);
    }

    [Fact]
    public void Match_EveryField_Bound()
    {
        var route = Single("""
            "Match": [
              {
                "Uri": { "Prefix": "/reviews" }, "IgnoreUriCase": true,
                "Scheme": { "Exact": "https" }, "Method": { "Regex": "GET|HEAD" }, "Authority": { "Prefix": "shop." },
                "Headers": { "end-user": { "Exact": "jason" }, "x-canary": {}, "x-tenant": { "Regex": "t-[0-9]+" } },
                "QueryParams": { "debug": {}, "lang": { "Prefix": "en" } },
                "WithoutHeaders": { "x-internal": { "Exact": "1" } },
                "Port": 443
              },
              { "Uri": { "Exact": "/" } },
              { "Uri": { "Regex": "/v[0-9]+/.*" } }
            ]
            """);

        var match = route.Matches[0];
        Assert.Equal(new StringMatchConfig(StringMatchKind.Prefix, "/reviews"), match.Path);
        Assert.True(match.IgnoreUriCase);
        Assert.Equal(new StringMatchConfig(StringMatchKind.Exact, "https"), match.Scheme);
        Assert.Equal(new StringMatchConfig(StringMatchKind.Regex, "GET|HEAD"), match.Method);
        Assert.Equal(new StringMatchConfig(StringMatchKind.Prefix, "shop."), match.Authority);
        Assert.Equal(
            [
                new NamedMatchConfig("end-user", new StringMatchConfig(StringMatchKind.Exact, "jason")),
                new NamedMatchConfig("x-canary", null),
                new NamedMatchConfig("x-tenant", new StringMatchConfig(StringMatchKind.Regex, "t-[0-9]+")),
            ],
            match.Headers);
        Assert.Equal([new NamedMatchConfig("debug", null), new NamedMatchConfig("lang", new StringMatchConfig(StringMatchKind.Prefix, "en"))], match.QueryParams);
        Assert.Equal([new NamedMatchConfig("x-internal", new StringMatchConfig(StringMatchKind.Exact, "1"))], match.WithoutHeaders);
        Assert.Equal(443, match.Port);
        Assert.Equal(new StringMatchConfig(StringMatchKind.Exact, "/"), route.Matches[1].Path);
        Assert.False(route.Matches[1].IgnoreUriCase);
        Assert.Equal(new StringMatchConfig(StringMatchKind.Regex, "/v[0-9]+/.*"), route.Matches[2].Path);
    }

    [Fact]
    public void Route_DestinationsHostSubsetPortWeightHeaders_Bound()
    {
        var route = AppSettings.Route(AppSettings.Config("""
            { "Gateway": { "Routes": [ { "Name": "r", "Route": [
              { "Destination": { "Host": "reviews", "Subset": "v2", "Port": 9080 }, "Weight": 75,
                "Headers": { "Request": { "Set": { "x-version": "v2" } }, "Response": { "Remove": [ "server" ] } } },
              { "Destination": { "Host": "reviews", "Subset": "v3" }, "Weight": 25 }
            ] } ] } }
            """), "r");

        var v2 = route.Destinations[0];
        Assert.Equal(("reviews", "v2", 9080, 75), (v2.Upstream, v2.Subset, v2.Port, v2.Weight));
        Assert.Equal([new KeyValuePair<string, string>("x-version", "v2")], v2.RequestHeaders!.Set);
        Assert.Equal(["server"], v2.ResponseHeaders!.Remove);
        var v3 = route.Destinations[1];
        Assert.Equal(("reviews", "v3", (int?)null, 25), (v3.Upstream, v3.Subset, v3.Port, v3.Weight));
        Assert.Null(v3.RequestHeaders);
    }

    [Theory]
    [InlineData("""[ { "Destination": { "Host": "a" } } ]""", new[] { 100 })] // Istio: a lone destination takes all traffic
    [InlineData("""[ { "Destination": { "Host": "a" } }, { "Destination": { "Host": "b" }, "Weight": 100 } ]""", new[] { 0, 100 })]
    public void Route_WeightUnset_LoneDestination100ElseZero(string destinations, int[] weights)
    {
        var route = Single($"\"Route\": {destinations}");

        Assert.Equal(weights, route.Destinations.Select(d => d.Weight));
    }

    [Fact]
    public void Redirect_EveryField_Bound()
    {
        var route = Single("""
            "Redirect": { "Uri": "/v1/bookRatings", "Authority": "newratings.default.svc.cluster.local", "Scheme": "https", "Port": 8443, "RedirectCode": 308 }
            """);

        Assert.Equal(new RedirectConfig { Path = "/v1/bookRatings", Authority = "newratings.default.svc.cluster.local", Scheme = "https", Port = 8443, Code = 308 }, route.Redirect);
    }

    [Fact]
    public void Redirect_NoCode_301AsIstio()
        => Assert.Equal(301, Single("""  "Redirect": { "Uri": "/new" }  """).Redirect!.Code);

    [Fact]
    public void DirectResponse_StatusAndBody_Bound()
    {
        Assert.Equal(new DirectResponseConfig(503, "unknown path"), Single("""  "DirectResponse": { "Status": 503, "Body": "unknown path" }  """).DirectResponse);
        Assert.Equal(new DirectResponseConfig(204, null), Single("""  "DirectResponse": { "Status": 204 }  """).DirectResponse);
    }

    [Fact]
    public void Rewrite_UriAuthorityAndUriRegexRewrite_Bound()
    {
        Assert.Equal(
            new RewriteConfig { PrefixReplacement = "/v1/bookRatings", Authority = "ratings.internal" },
            Single("""  "Rewrite": { "Uri": "/v1/bookRatings", "Authority": "ratings.internal" }  """).Rewrite);
        Assert.Equal(
            new RewriteConfig { RegexMatch = "^/service/([^/]+)(/.*)$", RegexReplacement = "\\2/instance/\\1" },
            Single("""  "Rewrite": { "UriRegexRewrite": { "Match": "^/service/([^/]+)(/.*)$", "Rewrite": "\\2/instance/\\1" } }  """).Rewrite);
    }

    [Fact]
    public void Headers_RequestAndResponseSetAddRemove_Bound()
    {
        var route = Single("""
            "Headers": {
              "Request": { "Set": { "x-a": "1", "x-b": "2" }, "Add": { "x-c": "3" }, "Remove": [ "cookie", "x-debug" ] },
              "Response": { "Set": { "cache-control": "no-store" } }
            }
            """);

        Assert.Equal([new KeyValuePair<string, string>("x-a", "1"), new KeyValuePair<string, string>("x-b", "2")], route.RequestHeaders!.Set);
        Assert.Equal([new KeyValuePair<string, string>("x-c", "3")], route.RequestHeaders.Add);
        Assert.Equal(["cookie", "x-debug"], route.RequestHeaders.Remove);
        Assert.Equal([new KeyValuePair<string, string>("cache-control", "no-store")], route.ResponseHeaders!.Set);
        Assert.Empty(route.ResponseHeaders.Remove);
    }

    [Fact]
    public void Fault_DelayAndAbortWithPercentages_Bound()
    {
        Assert.Equal(
            new FaultConfig { Delay = TimeSpan.FromSeconds(7), DelayPercentage = 0.1, AbortStatus = 500, AbortPercentage = 50 },
            Single("""  "Fault": { "Delay": { "FixedDelay": "7s", "Percentage": 0.1 }, "Abort": { "HttpStatus": 500, "Percentage": 50 } }  """).Fault);
        Assert.Equal(
            new FaultConfig { AbortStatus = 503 }, // percentage unset: every request
            Single("""  "Fault": { "Abort": { "HttpStatus": 503 } }  """).Fault);
    }

    [Fact]
    public void TimeoutAndRetries_Bound()
    {
        var route = Single("""  "Timeout": "5s", "Retries": { "Attempts": 3, "PerTryTimeout": "00:00:02", "RetryOn": "5xx, connect-failure" }  """);

        Assert.Equal(TimeSpan.FromSeconds(5), route.Timeout);
        Assert.Equal(3, route.Retries!.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(2), route.Retries.PerTryTimeout);
        Assert.Equal(["5xx", "connect-failure"], route.Retries.RetryOn);
    }

    [Fact]
    public void Retries_RetryOnAsList_OrIstioDefaultWhenUnset()
    {
        Assert.Equal(["gateway-error", "reset"], Single("""  "Retries": { "Attempts": 1, "RetryOn": [ "gateway-error", "reset" ] }  """).Retries!.RetryOn);
        Assert.Equal(["connect-failure", "refused-stream"], Single("""  "Retries": { "Attempts": 0 }  """).Retries!.RetryOn);
        Assert.Null(Single("").Retries); // Istio's default policy applies
    }

    [Fact]
    public void Mirrors_DestinationAndPercentage_Bound()
    {
        var route = Single("""
            "Mirrors": [
              { "Destination": { "Host": "shadow", "Subset": "v2", "Port": 8080 }, "Percentage": 12.5 },
              { "Destination": { "Host": "audit" } }
            ]
            """);

        Assert.Equal(
            [
                new MirrorConfig(new DestinationConfig("shadow", 100) { Subset = "v2", Port = 8080 }, 12.5),
                new MirrorConfig(new DestinationConfig("audit", 100), 100),
            ],
            route.Mirrors);
    }

    [Fact]
    public void CorsPolicy_EveryField_Bound()
    {
        var cors = Single("""
            "CorsPolicy": {
              "AllowOrigins": [ { "Exact": "https://example.com" }, { "Regex": "https://.*\\.example\\.org" } ],
              "AllowMethods": [ "GET", "POST" ], "AllowHeaders": [ "x-custom" ], "ExposeHeaders": [ "x-trace" ],
              "MaxAge": "24h", "AllowCredentials": true, "UnmatchedPreflights": "Ignore"
            }
            """).Cors!;

        Assert.Equal([new StringMatchConfig(StringMatchKind.Exact, "https://example.com"), new StringMatchConfig(StringMatchKind.Regex, "https://.*\\.example\\.org")], cors.AllowOrigins);
        Assert.Equal(["GET", "POST"], cors.AllowMethods);
        Assert.Equal(["x-custom"], cors.AllowHeaders);
        Assert.Equal(["x-trace"], cors.ExposeHeaders);
        Assert.Equal(TimeSpan.FromHours(24), cors.MaxAge);
        Assert.True(cors.AllowCredentials);
        Assert.False(cors.ForwardUnmatchedPreflights);
        Assert.True(Single("""  "CorsPolicy": { "AllowOrigins": [ { "Exact": "*" } ], "UnmatchedPreflights": "FORWARD" }  """).Cors!.ForwardUnmatchedPreflights);
    }

    [Fact]
    public void Keys_AnyCase_BoundAsIConfigurationIsCaseInsensitive()
    {
        var route = AppSettings.Route(AppSettings.Config("""
            { "gateway": { "routes": [ { "name": "r", "match": [ { "uri": { "prefix": "/a" }, "HEADERS": { "X-Up": { "EXACT": "1" } } } ], "route": [ { "destination": { "host": "up" }, "weight": 100 } ] } ] } }
            """), "r");

        Assert.Equal(new StringMatchConfig(StringMatchKind.Prefix, "/a"), route.Matches[0].Path);
        Assert.Equal([new NamedMatchConfig("X-Up", new StringMatchConfig(StringMatchKind.Exact, "1"))], route.Matches[0].Headers);
        Assert.Equal("up", Assert.Single(route.Destinations).Upstream);
    }

    /// <summary>Binds one route named <c>r</c> made of <paramref name="fields"/> (JSON members).</summary>
    private static RouteConfig Single(string fields)
    {
        var separator = fields.Trim().Length == 0 ? "" : ", ";
        return AppSettings.Route(AppSettings.Config($$"""{ "Gateway": { "Routes": [ { "Name": "r"{{separator}}{{fields}} } ] } }"""), "r");
    }
}
