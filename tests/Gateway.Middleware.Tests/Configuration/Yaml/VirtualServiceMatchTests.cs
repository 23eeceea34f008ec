using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// VirtualService <c>http[].match</c> (Istio <c>HTTPMatchRequest</c>) loaded from YAML and checked through
/// routing decisions: fields inside one match AND, the list ORs, rules in order, first match wins.
/// </summary>
public sealed class VirtualServiceMatchTests : IAsyncLifetime
{
    private const string Routes = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: matches, namespace: default}
        spec:
          hosts: ["*.example.com"]
          gateways: [gw]
          http:
          - name: exact
            match: [{uri: {exact: /exact}}]
            route: [{destination: {host: a}}]
          - name: prefix
            match: [{uri: {prefix: /v2}}]
            route: [{destination: {host: a}}]
          - name: regex
            match: [{uri: {regex: "/items/[0-9]+"}}]
            route: [{destination: {host: a}}]
          - name: ignore-case
            match: [{uri: {prefix: /CaSe}, ignoreUriCase: true}]
            route: [{destination: {host: a}}]
          - name: header
            match: [{headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: a}}]
          - name: header-present
            match: [{headers: {x-debug: {}}}]
            route: [{destination: {host: a}}]
          - name: without
            match: [{uri: {prefix: /without}, withoutHeaders: {x-skip: {}}}]
            route: [{destination: {host: a}}]
          - name: query
            match: [{queryParams: {debug: {exact: ""}}}]
            route: [{destination: {host: a}}]
          - name: query-regex
            match: [{queryParams: {id: {regex: "[0-9]+"}}}]
            route: [{destination: {host: a}}]
          - name: method
            match: [{uri: {prefix: /m}, method: {exact: POST}}]
            route: [{destination: {host: a}}]
          - name: authority
            match: [{authority: {prefix: api.}}]
            route: [{destination: {host: a}}]
          - name: scheme
            match: [{uri: {prefix: /s}, scheme: {exact: https}}]
            route: [{destination: {host: a}}]
          - name: port
            match: [{uri: {prefix: /p}, port: 8080}]
            route: [{destination: {host: a}}]
          - name: either
            match: [{uri: {prefix: /one}}, {uri: {prefix: /two}}]
            route: [{destination: {host: a}}]
          - name: rest
            route: [{destination: {host: a}}]
        """;

    private YamlTestHost? _host;

    private YamlTestHost Host => _host!;

    public async Task InitializeAsync()
        => _host = await Yaml.StartAsync(Yaml.Gateway("\"*.example.com\""), Yaml.Gateway("\"*.example.com\"", 8080).Replace("name: gw,", "name: gw8080,", StringComparison.Ordinal), Yaml.Service("a"),
            Routes.Replace("gateways: [gw]", "gateways: [gw, gw8080]", StringComparison.Ordinal));

    public async Task DisposeAsync() => await Host.DisposeAsync();

    [Theory]
    [InlineData("/exact", "exact")]
    [InlineData("/exact/more", "rest")]
    [InlineData("/v2", "prefix")]
    [InlineData("/v2example", "prefix")] // Istio's uri.prefix is a plain string prefix
    [InlineData("/items/42", "regex")]
    [InlineData("/items/42/x", "rest")] // the regex must match the whole path
    [InlineData("/case/x", "ignore-case")]
    [InlineData("/CASE", "ignore-case")]
    [InlineData("/without", "without")]
    [InlineData("/x?debug", "query")] // exact "" matches a bare key
    [InlineData("/x?debug=1", "rest")]
    [InlineData("/x?id=17", "query-regex")]
    [InlineData("/x?id=17a", "rest")]
    [InlineData("/m", "rest")] // GET: the method condition fails
    [InlineData("/s", "rest")] // plain http: the scheme condition fails
    [InlineData("/p", "rest")] // port 80
    [InlineData("/one/x", "either")]
    [InlineData("/two", "either")]
    public async Task Match_Path_FirstMatchingRuleWins(string path, string expected)
        => Assert.Equal(expected, await RouteAsync(path));

    [Fact]
    public async Task Match_Header_ExactValueCaseSensitiveNameCaseInsensitive()
    {
        Assert.Equal("header", await RouteAsync("/x", headers: ("End-User", "jason")));
        Assert.Equal("rest", await RouteAsync("/x", headers: ("end-user", "Jason")));
    }

    [Fact]
    public async Task Match_HeaderPresence_AnyValue()
        => Assert.Equal("header-present", await RouteAsync("/x", headers: ("x-debug", "yes")));

    [Fact]
    public async Task Match_WithoutHeaders_HeaderPresentSkipsRule()
        => Assert.Equal("rest", await RouteAsync("/without", headers: ("x-skip", "1")));

    [Fact]
    public async Task Match_Method_Post()
        => Assert.Equal("method", await RouteAsync("/m", method: "POST"));

    [Fact]
    public async Task Match_Authority_Prefix()
        => Assert.Equal("authority", await RouteAsync("/x", host: "api.example.com"));

    [Fact]
    public async Task Match_Port_RequestOnThatPort()
        => Assert.Equal("port", await RouteAsync("/p", port: 8080));

    [Fact]
    public async Task Match_HostNotServed_404()
        => Assert.Equal("404", await Host.RouteAsync("/exact", host: "example.org"));

    [Fact]
    public void Load_Match_EveryFieldInTheModel()
    {
        var match = Assert.Single(Yaml.Route(Yaml.Config(Yaml.Gateway(), Yaml.Service("a"), """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs, namespace: default}
            spec:
              hosts: [a.example.com]
              gateways: [gw]
              http:
              - name: all
                match:
                - name: everything
                  uri: {prefix: /api}
                  ignoreUriCase: true
                  scheme: {exact: https}
                  method: {regex: "GET|HEAD"}
                  authority: {exact: a.example.com}
                  headers: {x-a: {exact: "1"}, x-b: {prefix: p}, x-c: {regex: "c+"}, x-d: {}}
                  withoutHeaders: {x-e: {exact: "0"}}
                  queryParams: {q: {exact: v}, flag: {}}
                  port: 443
                  statPrefix: all
                route: [{destination: {host: a}}]
            """), "default/vs/all").Matches);

        Assert.Equal(new StringMatchConfig(StringMatchKind.Prefix, "/api"), match.Path);
        Assert.True(match.IgnoreUriCase);
        Assert.Equal(new StringMatchConfig(StringMatchKind.Exact, "https"), match.Scheme);
        Assert.Equal(new StringMatchConfig(StringMatchKind.Regex, "GET|HEAD"), match.Method);
        Assert.Equal(new StringMatchConfig(StringMatchKind.Exact, "a.example.com"), match.Authority);
        Assert.Equal(
        [
            new NamedMatchConfig("x-a", new(StringMatchKind.Exact, "1")),
            new NamedMatchConfig("x-b", new(StringMatchKind.Prefix, "p")),
            new NamedMatchConfig("x-c", new(StringMatchKind.Regex, "c+")),
            new NamedMatchConfig("x-d", null),
        ], match.Headers);
        Assert.Equal([new NamedMatchConfig("x-e", new(StringMatchKind.Exact, "0"))], match.WithoutHeaders);
        Assert.Equal([new NamedMatchConfig("q", new(StringMatchKind.Exact, "v")), new NamedMatchConfig("flag", null)], match.QueryParams);
        Assert.Equal(443, match.Port);
    }

    [Fact]
    public void Load_MatchOnlyForOtherGateways_RuleSkippedWithWarning()
    {
        var result = Yaml.Load(Yaml.Gateway(), Yaml.Service("a"), """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs, namespace: default}
            spec:
              hosts: [a.example.com]
              gateways: [gw, mesh]
              http:
              - match: [{uri: {prefix: /internal}, gateways: [mesh]}]
                route: [{destination: {host: a}}]
              - route: [{destination: {host: a}}]
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(["default/vs#1"], result.Config.Routes.Select(r => r.Name));
        Assert.Contains("test.yaml#3 VirtualService default/vs: spec.http[0].match: every match names other gateways (match.gateways): the rule is not served here", result.Warnings);
    }

    private async Task<string> RouteAsync(string path, string host = "www.example.com", int port = 80, string method = "GET", params (string, string)[] headers)
    {
        var answer = await Host.RouteAsync(path, host, port, method, headers);
        return answer.Split('|')[0].Replace("default/matches/", "", StringComparison.Ordinal);
    }
}
