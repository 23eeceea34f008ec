using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>VirtualService rule actions from YAML into the model (Istio <c>HTTPRoute</c> fields).</summary>
public sealed class VirtualServiceActionTests
{
    private static RouteConfig Rule(string http, params string[] more)
        => Yaml.Route(Yaml.Config([Yaml.Gateway(), Yaml.Service("a"), Yaml.Service("b"), .. more, $"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {"{"}name: vs, namespace: default{"}"}
            spec:
              hosts: [a.example.com]
              gateways: [gw]
              http:
              - name: rule
            {http}
            """]), "default/vs/rule");

    [Fact]
    public void Load_RouteDestinations_WeightsSubsetPortAndHeaders()
    {
        var rule = Rule("""
                route:
                - destination: {host: a, port: {number: 80}}
                  weight: 70
                  headers: {request: {set: {x-v: a}}, response: {remove: [server]}}
                - destination: {host: b.default.svc.cluster.local, subset: v2}
                  weight: 30
            """, """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: b, namespace: default}
            spec: {host: b, subsets: [{name: v2, labels: {version: v2}}]}
            """);

        Assert.Equal(2, rule.Destinations.Count);
        Assert.Equal(("a.default.svc.cluster.local", 70, (string?)null, (int?)80), (rule.Destinations[0].Upstream, rule.Destinations[0].Weight, rule.Destinations[0].Subset, rule.Destinations[0].Port));
        Assert.Equal([new KeyValuePair<string, string>("x-v", "a")], rule.Destinations[0].RequestHeaders!.Set);
        Assert.Equal(["server"], rule.Destinations[0].ResponseHeaders!.Remove);
        Assert.Equal(("b.default.svc.cluster.local", 30, "v2"), (rule.Destinations[1].Upstream, rule.Destinations[1].Weight, rule.Destinations[1].Subset));
        Assert.Equal("test.yaml#5 VirtualService default/vs", rule.Source);
        Assert.Equal("spec.http[0]", rule.SourcePath);
    }

    [Fact]
    public void Load_SingleDestinationWithoutWeight_GetsEverything()
        => Assert.Equal(100, Assert.Single(Rule("    route: [{destination: {host: a}}]").Destinations).Weight);

    [Fact]
    public void Load_Redirect_AllFieldsDefault301()
    {
        Assert.Equal(new RedirectConfig { Path = "/new", Authority = "b.example.com", Scheme = "https", Port = 8443, Code = 308 },
            Rule("    redirect: {uri: /new, authority: b.example.com, scheme: https, port: 8443, redirectCode: 308}").Redirect);
        Assert.Equal(301, Rule("    redirect: {uri: /new}").Redirect!.Code);
    }

    [Fact]
    public void Load_DirectResponse_StringOrBase64Bytes()
    {
        Assert.Equal(new DirectResponseConfig(418, "teapot"), Rule("    directResponse: {status: 418, body: {string: teapot}}").DirectResponse);
        Assert.Equal(new DirectResponseConfig(200, "hello"), Rule("    directResponse: {status: 200, body: {bytes: aGVsbG8=}}").DirectResponse);
        Assert.Equal(new DirectResponseConfig(503, null), Rule("    directResponse: {status: 503}").DirectResponse);
    }

    [Fact]
    public void Load_Rewrite_UriAuthorityAndRegex()
    {
        Assert.Equal(new RewriteConfig { PrefixReplacement = "/v1", Authority = "internal" },
            Rule("    route: [{destination: {host: a}}]\n    rewrite: {uri: /v1, authority: internal}").Rewrite);
        Assert.Equal(new RewriteConfig { RegexMatch = "^/service/([^/]+)(/.*)$", RegexReplacement = @"\2/instance/\1" },
            Rule("    route: [{destination: {host: a}}]\n    rewrite: {uriRegexRewrite: {match: \"^/service/([^/]+)(/.*)$\", rewrite: '\\2/instance/\\1'}}").Rewrite);
    }

    [Fact]
    public void Load_Headers_SetAddRemoveInOrder()
    {
        var rule = Rule("""
                route: [{destination: {host: a}}]
                headers:
                  request: {set: {x-b: "2", x-a: "1"}, add: {x-c: "3"}, remove: [cookie]}
                  response: {add: {x-served-by: gateway}}
            """);

        Assert.Equal([new("x-b", "2"), new("x-a", "1")], rule.RequestHeaders!.Set);
        Assert.Equal([new KeyValuePair<string, string>("x-c", "3")], rule.RequestHeaders.Add);
        Assert.Equal(["cookie"], rule.RequestHeaders.Remove);
        Assert.Equal([new KeyValuePair<string, string>("x-served-by", "gateway")], rule.ResponseHeaders!.Add);
    }

    [Theory]
    [InlineData("fault: {delay: {fixedDelay: 1.5s, percentage: {value: 10}}}", 1500, 10.0, null, 100.0)]
    [InlineData("fault: {delay: {fixedDelay: 100ms, percent: 50}}", 100, 50.0, null, 100.0)]
    [InlineData("fault: {abort: {httpStatus: 503, percentage: {value: 0.5}}}", null, 100.0, 503, 0.5)]
    [InlineData("fault: {delay: {fixedDelay: 1m}, abort: {httpStatus: 500}}", 60000, 100.0, 500, 100.0)]
    public void Load_Fault_DelayAndAbortWithPercentages(string fault, int? delayMs, double delayPercent, int? abort, double abortPercent)
    {
        var rule = Rule($"    route: [{{destination: {{host: a}}}}]\n    {fault}");

        Assert.Equal(new FaultConfig
        {
            Delay = delayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            DelayPercentage = delayPercent,
            AbortStatus = abort,
            AbortPercentage = abortPercent,
        }, rule.Fault);
    }

    [Fact]
    public void Load_TimeoutAndRetries()
    {
        var rule = Rule("    route: [{destination: {host: a}}]\n    timeout: 2.5s\n    retries: {attempts: 3, perTryTimeout: 500ms, retryOn: 'gateway-error, connect-failure,503'}");

        Assert.Equal(TimeSpan.FromMilliseconds(2500), rule.Timeout);
        Assert.Equal(3, rule.Retries!.Attempts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), rule.Retries.PerTryTimeout);
        Assert.Equal(["gateway-error", "connect-failure", "503"], rule.Retries.RetryOn);
    }

    [Fact]
    public void Load_RetriesWithoutAttempts_DisablesRetries()
        => Assert.Equal(0, Rule("    route: [{destination: {host: a}}]\n    retries: {retryOn: 5xx}").Retries!.Attempts);

    [Fact]
    public void Load_MirrorAndMirrorPercentage()
    {
        var mirror = Assert.Single(Rule("    route: [{destination: {host: a}}]\n    mirror: {host: b}\n    mirrorPercentage: {value: 25}").Mirrors);

        Assert.Equal("b.default.svc.cluster.local", mirror.Destination.Upstream);
        Assert.Equal(25, mirror.Percentage);
    }

    [Fact]
    public void Load_Mirrors_EachWithPercentageDefault100()
    {
        var mirrors = Rule("    route: [{destination: {host: a}}]\n    mirrors: [{destination: {host: b}, percentage: {value: 5}}, {destination: {host: a}}]").Mirrors;

        Assert.Equal([("b.default.svc.cluster.local", 5.0), ("a.default.svc.cluster.local", 100.0)], mirrors.Select(m => (m.Destination.Upstream, m.Percentage)));
    }

    [Fact]
    public void Load_CorsPolicy_AllFields()
    {
        var cors = Rule("""
                route: [{destination: {host: a}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://a.example.com"}, {prefix: "https://b."}, {regex: "https://.*\\.c\\.com"}]
                  allowMethods: [GET, POST]
                  allowHeaders: [x-a]
                  exposeHeaders: [x-b]
                  maxAge: 24h
                  allowCredentials: true
                  unmatchedPreflights: IGNORE
            """).Cors!;

        Assert.Equal(
        [
            new StringMatchConfig(StringMatchKind.Exact, "https://a.example.com"),
            new StringMatchConfig(StringMatchKind.Prefix, "https://b."),
            new StringMatchConfig(StringMatchKind.Regex, @"https://.*\.c\.com"),
        ], cors.AllowOrigins);
        Assert.Equal(["GET", "POST"], cors.AllowMethods);
        Assert.Equal(["x-a"], cors.AllowHeaders);
        Assert.Equal(["x-b"], cors.ExposeHeaders);
        Assert.Equal(TimeSpan.FromHours(24), cors.MaxAge);
        Assert.True(cors.AllowCredentials);
        Assert.False(cors.ForwardUnmatchedPreflights);
    }

    [Fact]
    public void Load_DeprecatedAllowOrigin_ExactOrigins()
        => Assert.Equal([new StringMatchConfig(StringMatchKind.Exact, "https://a.example.com")],
            Rule("    route: [{destination: {host: a}}]\n    corsPolicy: {allowOrigin: [\"https://a.example.com\"]}").Cors!.AllowOrigins);

    [Fact]
    public void Load_UnknownDestinationHost_UpstreamWithoutEndpointsAndWarning()
    {
        var result = Yaml.Load(Yaml.Gateway(), """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs, namespace: default}
            spec:
              hosts: [a.example.com]
              gateways: [gw]
              http:
              - route: [{destination: {host: missing, subset: v1}}]
            """);

        Assert.Empty(result.Errors);
        var upstream = Yaml.Upstream(result.Config, "missing.default.svc.cluster.local");
        Assert.Empty(upstream.Endpoints);
        Assert.Null(upstream.LocalReplyStatus);
        Assert.Contains("test.yaml#2 VirtualService default/vs: spec.http[0].route[0].destination.host: no ServiceEntry declares 'missing.default.svc.cluster.local': requests get 503 no healthy upstream", result.Warnings);
        Assert.Contains("test.yaml#2 VirtualService default/vs: spec.http[0].route[0].destination.subset: no DestinationRule declares subset 'v1' of 'missing.default.svc.cluster.local': requests get 503 no healthy upstream", result.Warnings);
        using var snapshot = GatewayConfigCompiler.Compile(result.Config);
    }

    [Fact]
    public async Task Route_UnknownSubsetOfKnownHost_SubsetSelectsNoEndpoint()
    {
        var config = Yaml.Config(Yaml.Gateway(), Yaml.Service("a"), """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs, namespace: default}
            spec:
              hosts: [a.example.com]
              gateways: [gw]
              http:
              - route: [{destination: {host: a, subset: v9}}]
            """);

        var subset = Assert.Single(Yaml.Upstream(config, "a.default.svc.cluster.local").Subsets);
        Assert.Equal("v9", subset.Name);
        Assert.DoesNotContain(Yaml.Upstream(config, "a.default.svc.cluster.local").Endpoints, e => e.Labels.ContainsKey(subset.Labels.Keys.Single()));
        await Task.CompletedTask;
    }
}
