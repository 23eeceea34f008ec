using System.Net;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// Every Istio <c>HTTPMatchRequest</c> field loaded from YAML, through real requests: rules are tried in order,
/// the first match wins, and the request reaches the rule's upstream unchanged.
/// </summary>
public sealed class YamlVirtualServiceMatchTests : IClassFixture<YamlVirtualServiceMatchTests.Fixture>
{
    private const string Host = "match.example.com";

    private readonly Fixture _fixture;

    public YamlVirtualServiceMatchTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>
    /// Istio VirtualService reference, <c>HTTPMatchRequest</c> and <c>StringMatch</c>: uri exact / prefix (a plain
    /// string prefix) / regex (RE2, whole path), <c>ignoreUriCase</c>, headers (exact, prefix, regex, presence),
    /// <c>withoutHeaders</c>, <c>queryParams</c>, <c>method</c>, <c>authority</c>; several matches are ORed,
    /// conditions within one match ANDed. Headers are given as <c>name=value</c> pairs separated by <c>;</c>.
    /// </summary>
    [Theory]
    [InlineData("GET", Host, "/exact", "", "exact")]
    [InlineData("GET", Host, "/exact/more", "", "rest")] // exact is exact
    [InlineData("GET", Host, "/v2", "", "prefix")]
    [InlineData("GET", Host, "/v2example/x", "", "prefix")] // Istio's prefix is a plain string prefix
    [InlineData("GET", Host, "/items/42", "", "regex")]
    [InlineData("GET", Host, "/items/42/x", "", "rest")] // the regex matches the whole path
    [InlineData("GET", Host, "/CASE/Study", "", "ignore-case")]
    [InlineData("GET", Host, "/Exact", "", "rest")] // without ignoreUriCase the case matters
    [InlineData("GET", Host, "/h", "x-user=jason", "header-exact")]
    [InlineData("GET", Host, "/h", "X-User=jason", "header-exact")] // header names are case-insensitive
    [InlineData("GET", Host, "/h", "x-user=Jason", "rest")] // values are not
    [InlineData("GET", Host, "/h", "x-tenant=acme-eu", "header-prefix")]
    [InlineData("GET", Host, "/h", "x-version=v12", "header-regex")]
    [InlineData("GET", Host, "/h", "x-version=v12b", "rest")]
    [InlineData("GET", Host, "/h", "x-debug=", "header-present")] // {} matches any value, even empty
    [InlineData("GET", Host, "/h", "x-debug=anything", "header-present")]
    [InlineData("GET", Host, "/without", "", "without")]
    [InlineData("GET", Host, "/without", "x-block=1", "rest")] // withoutHeaders: the header present skips the rule
    [InlineData("GET", Host, "/without", "x-block=2", "without")]
    [InlineData("GET", Host, "/q?debug=1", "", "query-exact")]
    [InlineData("GET", Host, "/q?debug=2", "", "rest")]
    [InlineData("GET", Host, "/q?id=17&x=y", "", "query-regex")]
    [InlineData("GET", Host, "/q?id=17a", "", "rest")]
    [InlineData("POST", Host, "/m", "", "method")]
    [InlineData("GET", Host, "/m", "", "rest")]
    [InlineData("GET", "api.match.example.com", "/", "", "authority")]
    [InlineData("GET", "www.match.example.com", "/", "", "rest")]
    [InlineData("GET", Host, "/one/x", "", "either")] // several matches are ORed
    [InlineData("GET", Host, "/two", "", "either")]
    [InlineData("GET", Host, "/both", "x-user=kim", "and")] // conditions of one match are ANDed
    [InlineData("GET", Host, "/both", "", "rest")]
    [InlineData("GET", Host, "/anything", "", "rest")]
    public async Task Request_FirstMatchingRuleServesIt(string method, string host, string pathAndQuery, string headers, string expected)
    {
        using var response = await _fixture.Gateway.SendAsync(host, pathAndQuery, method, headers: Headers(headers));

        var echo = await YamlEchoUpstream.ReadAsync(response);
        Assert.Equal(expected, Assert.Single(response.Headers.GetValues("x-rule")));
        Assert.Equal(expected == "rest" ? "catch-all" : "echo", echo.Upstream);
        Assert.Equal(method, echo.Method);
        Assert.Equal(pathAndQuery, echo.Target);
    }

    [Fact]
    public async Task Request_HostOfNoVirtualService_404()
    {
        using var response = await _fixture.Gateway.SendAsync("nothing.example.com", "/exact");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static (string, string)[] Headers(string text)
        => text.Length == 0 ? [] : [.. text.Split(';').Select(h => h.Split('=', 2)).Select(p => (p[0], p[1]))];

    public sealed class Fixture : IAsyncLifetime
    {
        public YamlGateway Gateway { get; private set; } = null!;

        private YamlEchoUpstream _echo = null!;
        private YamlEchoUpstream _catchAll = null!;

        public async Task InitializeAsync()
        {
            _echo = await YamlEchoUpstream.StartAsync("echo");
            _catchAll = await YamlEchoUpstream.StartAsync("catch-all");
            var port = YamlGateway.ReservePort();
            Gateway = await YamlGateway.StartAsync([port], ("matches.yaml", Yaml(port, _echo.Port, _catchAll.Port)));
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await _echo.DisposeAsync();
            await _catchAll.DisposeAsync();
        }

        private static string Yaml(int port, int echo, int catchAll) => YamlGateway.Fill("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              servers:
              - port: {number: $PORT, name: http, protocol: HTTP}
                hosts: ["*.example.com"]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: echo}
            spec:
              hosts: [echo.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http, protocol: HTTP}]
              endpoints:
              - {address: 127.0.0.1, ports: {http: $ECHO}, labels: {app: echo}}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: catch-all}
            spec:
              hosts: [catch-all.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http, protocol: HTTP}]
              endpoints:
              - {address: 127.0.0.1, ports: {http: $CATCH_ALL}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: matches}
            spec:
              hosts: [match.example.com, "*.match.example.com"]
              gateways: [gw]
              http:
              - name: exact
                match: [{uri: {exact: /exact}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: exact}}}}]
              - name: prefix
                match: [{uri: {prefix: /v2}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: prefix}}}}]
              - name: regex
                match: [{uri: {regex: "/items/[0-9]+"}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: regex}}}}]
              - name: ignore-case
                match: [{uri: {prefix: /case/}, ignoreUriCase: true}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: ignore-case}}}}]
              - match: [{uri: {exact: /h}, headers: {x-user: {exact: jason}}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: header-exact}}}}]
              - match: [{uri: {exact: /h}, headers: {x-tenant: {prefix: acme-}}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: header-prefix}}}}]
              - match: [{uri: {exact: /h}, headers: {x-version: {regex: "v[0-9]+"}}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: header-regex}}}}]
              - match: [{uri: {exact: /h}, headers: {x-debug: {}}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: header-present}}}}]
              - match: [{uri: {exact: /without}, withoutHeaders: {x-block: {exact: "1"}}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: without}}}}]
              - match: [{uri: {exact: /q}, queryParams: {debug: {exact: "1"}}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: query-exact}}}}]
              - match: [{uri: {exact: /q}, queryParams: {id: {regex: "[0-9]+"}}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: query-regex}}}}]
              - match: [{uri: {exact: /m}, method: {exact: POST}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: method}}}}]
              - match: [{authority: {prefix: api.}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: authority}}}}]
              - match: [{uri: {prefix: /one/}}, {uri: {exact: /two}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: either}}}}]
              - match: [{uri: {exact: /both}, headers: {x-user: {exact: kim}}}]
                route: [{destination: {host: echo}, headers: {response: {set: {x-rule: and}}}}]
              - route: [{destination: {host: catch-all}, headers: {response: {set: {x-rule: rest}}}}]
            """,
            ("PORT", port),
            ("ECHO", echo),
            ("CATCH_ALL", catchAll));
    }
}
