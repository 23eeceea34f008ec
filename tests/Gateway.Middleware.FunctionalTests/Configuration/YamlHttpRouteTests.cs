using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// Gateway API <c>Gateway</c> and <c>HTTPRoute</c> loaded from YAML, through real requests: listeners and
/// parentRefs (sectionName, port), hostnames, matches with Gateway API precedence, every standard filter,
/// weighted backendRefs (an unresolvable one answering 500 for its share), ReferenceGrant and timeouts.
/// </summary>
public sealed class YamlHttpRouteTests : IClassFixture<YamlHttpRouteTests.Fixture>
{
    private const string Store = "store.example.com";

    private readonly Fixture _fixture;

    public YamlHttpRouteTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>
    /// HTTPRouteMatch and the Gateway API's precedence (conformance HTTPRouteMatching, HTTPRouteMatchingAcrossRoutes,
    /// HTTPRoutePathMatchOrder, HTTPRouteHeaderMatching, HTTPRouteQueryParamMatching, HTTPRouteMethodMatching):
    /// Exact beats PathPrefix, PathPrefix matches whole segments, a rule without matches is <c>PathPrefix /</c>.
    /// The answer is the rule's <c>x-rule</c> response header.
    /// </summary>
    [Theory]
    [InlineData("GET", "/cart", "", "exact")]
    [InlineData("GET", "/cart/items", "", "prefix")]
    [InlineData("GET", "/cart/", "", "prefix")]
    [InlineData("GET", "/cartx", "", "rest")] // PathPrefix matches whole segments
    [InlineData("GET", "/items/42", "", "rest")] // a RegularExpression path ranks after every PathPrefix, "/" included (as Istio)
    [InlineData("GET", "/h", "x-env=canary", "header")]
    [InlineData("GET", "/h", "X-Env=canary", "header")] // header names are case-insensitive
    [InlineData("GET", "/h", "x-env=Canary", "rest")]
    [InlineData("GET", "/h", "x-version=v2", "header-regex")]
    [InlineData("GET", "/h", "x-env=canary;x-version=v2", "header")] // equally specific: rule order
    [InlineData("GET", "/q?debug=1", "", "query")]
    [InlineData("GET", "/q?debug=0", "", "rest")]
    [InlineData("POST", "/m", "", "method")]
    [InlineData("GET", "/m", "", "rest")]
    [InlineData("GET", "/", "", "rest")]
    public async Task Match_MostSpecificRuleServes(string method, string pathAndQuery, string headers, string expected)
    {
        using var response = await _fixture.Gateway.SendAsync(Store, pathAndQuery, method, headers: Headers(headers));

        var echo = await YamlEchoUpstream.ReadAsync(response);
        Assert.Equal(expected, Assert.Single(response.Headers.GetValues("x-rule")));
        Assert.Equal("echo", echo.Upstream);
        Assert.Equal(pathAndQuery, echo.Target);
    }

    /// <summary>
    /// Listener hostnames and route hostnames intersect; parentRefs <c>sectionName</c> and <c>port</c> attach a route
    /// to those listeners only (conformance HTTPRouteListenerHostnameMatching, GatewaySecretReferenceGrant aside).
    /// <c>port</c> 0 is the first listening port, 1 the second.
    /// </summary>
    [Theory]
    [InlineData("admin.internal", 0, "admin")] // route of sectionName admin, no hostnames: the listener's
    [InlineData("second.example.com", 1, "second")] // parentRef port: the listener on the second port
    [InlineData("second.example.com", 0, "404")] // not attached to the *.example.com listener
    [InlineData("other.example.com", 0, "404")] // a listener host no route serves
    [InlineData("admin.internal", 1, "404")]
    [InlineData("store.other.test", 0, "404")] // no listener for the host
    [InlineData("a.wild.example.com", 0, "wild")] // route hostname *.wild.example.com within listener *.example.com
    [InlineData("wild.example.com", 0, "404")]
    public async Task ParentRefs_RouteServedOnTheListenersItAttachesTo(string host, int port, string expected)
    {
        using var response = await _fixture.Gateway.SendAsync(host, "/x", port: _fixture.Gateway.Ports[port]);

        if (expected == "404")
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            return;
        }

        Assert.Equal("echo", (await YamlEchoUpstream.ReadAsync(response)).Upstream);
        Assert.Equal(expected, Assert.Single(response.Headers.GetValues("x-rule")));
    }

    /// <summary>RegularExpression paths (Gateway API extended support): the whole path must match.</summary>
    [Theory]
    [InlineData("/items/42", HttpStatusCode.OK)]
    [InlineData("/items/42/x", HttpStatusCode.NotFound)]
    [InlineData("/items/x", HttpStatusCode.NotFound)]
    public async Task Match_RegularExpressionPath(string path, HttpStatusCode expected)
    {
        using var response = await _fixture.Gateway.SendAsync("regex.example.com", path);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal("regex", Assert.Single(response.Headers.GetValues("x-rule")));
        }
    }

    /// <summary>RequestHeaderModifier and ResponseHeaderModifier (conformance HTTPRouteRequestHeaderModifier, HTTPRouteResponseHeaderModifier), on the rule and on a backendRef.</summary>
    [Fact]
    public async Task HeaderModifiers_RequestAndResponse()
    {
        using var response = await _fixture.Gateway.SendAsync(Store, "/headers", headers: [("x-set", "client"), ("x-add", "client"), ("x-remove", "client")]);

        var echo = await YamlEchoUpstream.ReadAsync(response);
        Assert.Equal("route", echo.Header("x-set"));
        Assert.Equal("client, route", echo.Header("x-add"));
        Assert.Null(echo.Header("x-remove"));
        Assert.Equal("backend", echo.Header("x-backend"));
        Assert.Equal("route", Assert.Single(response.Headers.GetValues("x-response-set")));
        Assert.False(response.Headers.Contains("x-upstream"));
    }

    /// <summary>RequestRedirect (conformance HTTPRouteRedirectHostAndStatus, HTTPRouteRedirectScheme, HTTPRouteRedirectPort, HTTPRouteRedirectPath): 302 unless statusCode says otherwise.</summary>
    [Theory]
    [InlineData("/redirect/x?q=1", 302, "https://secure.example.com/new/x?q=1")]
    [InlineData("/redirect-port", 301, "http://store.example.com:8443/redirect-port")]
    public async Task RequestRedirect_LocationAndStatus(string path, int status, string location)
    {
        using var response = await _fixture.Gateway.SendAsync(Store, path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    /// <summary>URLRewrite (conformance HTTPRouteRewriteHost, HTTPRouteRewritePath): hostname, ReplacePrefixMatch, ReplaceFullPath.</summary>
    [Theory]
    [InlineData("/rewrite/x?q=1", "/v1/x?q=1", "internal.example.com")]
    [InlineData("/rewrite", "/v1", "internal.example.com")]
    [InlineData("/full/a/b?q=1", "/replaced?q=1", Store)]
    public async Task UrlRewrite_UpstreamGetsRewrittenPathAndHost(string path, string target, string host)
    {
        using var response = await _fixture.Gateway.SendAsync(Store, path);

        var echo = await YamlEchoUpstream.ReadAsync(response);
        Assert.Equal(target, echo.Target);
        Assert.Equal(host, echo.Host);
    }

    /// <summary>RequestMirror (conformance HTTPRouteRequestMirror): the mirror backend gets a copy; the client gets the backendRef's answer.</summary>
    [Fact]
    public async Task RequestMirror_CopyReachesTheMirrorBackend()
    {
        var path = $"/mirror/{Guid.NewGuid():N}";
        using var response = await _fixture.Gateway.SendAsync(Store, path);

        Assert.Equal("echo", (await YamlEchoUpstream.ReadAsync(response)).Upstream);
        Assert.Equal($"{Store}-shadow", await _fixture.MirroredHostAsync(path));
    }

    /// <summary>backendRefs weights are relative (conformance HTTPRouteWeight): 3:1.</summary>
    [Fact]
    public async Task BackendRefs_Weights_TrafficSplitInProportion()
    {
        var counts = await CountAsync("/weights", 400);

        Assert.Equal(["v1", "v2"], counts.Keys.Order());
        Assert.InRange(counts["v1"], 240, 360); // 75 % ± 15 points
    }

    /// <summary>
    /// HTTPRouteRule.backendRefs: "requests that would have been sent to an invalid backend must receive a 500 status
    /// code" for its share of the weight (conformance HTTPRouteInvalidBackendRefUnknownKind, HTTPRoutePartiallyInvalidViaInvalidReferenceGrant).
    /// </summary>
    [Fact]
    public async Task BackendRefs_OneUnresolvable_500ForItsShare()
    {
        var counts = await CountAsync("/split", 400);

        Assert.Equal(["500", "v1"], counts.Keys.Order());
        Assert.InRange(counts["500"], 140, 260); // 50 % ± 15 points
    }

    /// <summary>
    /// A backendRef <c>X</c> in namespace <c>N</c> is the ServiceEntry host <c>X.N.svc.cluster.local</c>; another
    /// namespace needs a ReferenceGrant there (conformance HTTPRouteReferenceGrant, HTTPRouteInvalidCrossNamespaceBackendRef).
    /// </summary>
    [Theory]
    [InlineData("/granted", "200")]
    [InlineData("/same-namespace", "500")] // echo.team.svc.cluster.local: no such ServiceEntry
    [InlineData("/not-granted", "500")] // secret.vault.svc.cluster.local exists, but no ReferenceGrant admits team
    public async Task BackendRefs_NamespacesAndReferenceGrant(string path, string expected)
    {
        using var response = await _fixture.Gateway.SendAsync("team.example.com", path);

        Assert.Equal(expected, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (expected == "200")
        {
            Assert.Equal("echo", (await YamlEchoUpstream.ReadAsync(response)).Upstream);
        }
    }

    /// <summary>HTTPRouteRule.timeouts.request (conformance HTTPRouteRequestTimeout): a slower backend → 504.</summary>
    [Fact]
    public async Task TimeoutsRequest_SlowBackend_504()
    {
        var watch = Stopwatch.StartNew();
        using var response = await _fixture.Gateway.SendAsync(Store, "/timeout");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"answered after {watch.Elapsed}");
    }

    private async Task<Dictionary<string, int>> CountAsync(string path, int requests)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < requests; i++)
        {
            using var response = await _fixture.Gateway.SendAsync(Store, path);
            var key = response.StatusCode == HttpStatusCode.OK ? (await YamlEchoUpstream.ReadAsync(response)).Upstream : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private static (string, string)[] Headers(string text)
        => text.Length == 0 ? [] : [.. text.Split(';').Select(h => h.Split('=', 2)).Select(p => (p[0], p[1]))];

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Dictionary<string, string> _mirrored = [];
        private YamlEchoUpstream[] _upstreams = [];

        public YamlGateway Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _upstreams =
            [
                await YamlEchoUpstream.StartAsync("echo"),
                await YamlEchoUpstream.StartAsync("v1"),
                await YamlEchoUpstream.StartAsync("v2"),
                await YamlEchoUpstream.StartAsync("slow", async (context, _) =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    return false;
                }),
                await YamlEchoUpstream.StartAsync("shadow", (context, _) =>
                {
                    lock (_mirrored)
                    {
                        _mirrored[context.Request.Path.Value!] = context.Request.Host.Value ?? "";
                    }

                    return Task.FromResult(false);
                }),
            ];
            int[] ports = [YamlGateway.ReservePort(), YamlGateway.ReservePort()];
            Gateway = await YamlGateway.StartAsync(
                ports,
                ("gateway.yaml", YamlGateway.Fill(GatewayYaml, ("PORT", ports[0]), ("PORT2", ports[1]))),
                ("services.yaml", YamlGateway.Fill(Services, ("ECHO", _upstreams[0].Port), ("V1", _upstreams[1].Port), ("V2", _upstreams[2].Port), ("SLOW", _upstreams[3].Port), ("SHADOW", _upstreams[4].Port))),
                ("routes.yaml", YamlGateway.Fill(Routes, ("PORT2", ports[1]))));
        }

        public async Task<string> MirroredHostAsync(string path)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                lock (_mirrored)
                {
                    if (_mirrored.TryGetValue(path, out var host))
                    {
                        return host;
                    }
                }

                await Task.Delay(20);
            }

            throw new TimeoutException($"no mirrored request for {path}");
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            foreach (var upstream in _upstreams)
            {
                await upstream.DisposeAsync();
            }
        }

        private const string GatewayYaml = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              gatewayClassName: gateway-middleware
              listeners:
              - name: web
                port: $PORT
                protocol: HTTP
                hostname: "*.example.com"
                allowedRoutes: {namespaces: {from: All}}
              - {name: admin, port: $PORT, protocol: HTTP, hostname: admin.internal}
              - {name: second, port: $PORT2, protocol: HTTP}
            """;

        /// <summary>What Kubernetes Services would provide: <c>X.N.svc.cluster.local</c> on port 8080.</summary>
        private const string Services = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: echo}
            spec:
              hosts: [echo.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 8080, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1, ports: {http: $ECHO}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: versions}
            spec:
              hosts: [v1.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 8080, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1, ports: {http: $V1}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: v2}
            spec:
              hosts: [v2.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 8080, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1, ports: {http: $V2}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: slow}
            spec:
              hosts: [slow.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 8080, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1, ports: {http: $SLOW}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: shadow}
            spec:
              hosts: [shadow.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 8080, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1, ports: {http: $SHADOW}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: secret, namespace: vault}
            spec:
              hosts: [secret.vault.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 8080, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1, ports: {http: $ECHO}}]
            """;

        private const string Routes = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: store}
            spec:
              parentRefs: [{name: gw, sectionName: web}]
              hostnames: [store.example.com]
              rules:
              - matches: [{path: {type: Exact, value: /cart}}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: exact}]}}]
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /cart}}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: prefix}]}}]
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: RegularExpression, value: "/items/[0-9]+"}}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: regex}]}}]
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: Exact, value: /h}, headers: [{name: x-env, value: canary}]}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: header}]}}]
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: Exact, value: /h}, headers: [{type: RegularExpression, name: x-version, value: "v[0-9]+"}]}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: header-regex}]}}]
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: Exact, value: /q}, queryParams: [{name: debug, value: "1"}]}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: query}]}}]
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: Exact, value: /m}, method: POST}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: method}]}}]
                backendRefs: [{name: echo, port: 8080}]
              - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: rest}]}}]
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: Exact, value: /headers}}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: x-set, value: route}]
                    add: [{name: x-add, value: route}]
                    remove: [x-remove]
                - type: ResponseHeaderModifier
                  responseHeaderModifier:
                    set: [{name: x-response-set, value: route}]
                    remove: [x-upstream]
                backendRefs:
                - name: echo
                  port: 8080
                  filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-backend, value: backend}]}}]
              - matches: [{path: {type: PathPrefix, value: /redirect}}]
                filters:
                - type: RequestRedirect
                  requestRedirect: {scheme: https, hostname: secure.example.com, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}
              - matches: [{path: {type: PathPrefix, value: /redirect-port}}]
                filters: [{type: RequestRedirect, requestRedirect: {port: 8443, statusCode: 301}}]
              - matches: [{path: {type: PathPrefix, value: /rewrite}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {hostname: internal.example.com, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v1}}
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /full}}]
                filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /replaced}}}]
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /mirror}}]
                filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 8080}}}]
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: Exact, value: /weights}}]
                backendRefs: [{name: v1, port: 8080, weight: 3}, {name: v2, port: 8080, weight: 1}]
              - matches: [{path: {type: Exact, value: /split}}]
                backendRefs: [{name: v1, port: 8080, weight: 1}, {name: missing, port: 8080, weight: 1}]
              - matches: [{path: {type: Exact, value: /timeout}}]
                timeouts: {request: 200ms}
                backendRefs: [{name: slow, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: regex}
            spec:
              parentRefs: [{name: gw}]
              hostnames: [regex.example.com]
              rules:
              - matches: [{path: {type: RegularExpression, value: "/items/[0-9]+"}}]
                filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: regex}]}}]
                backendRefs: [{name: echo, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: wild}
            spec:
              parentRefs: [{name: gw, sectionName: web}]
              hostnames: ["*.wild.example.com"]
              rules:
              - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: wild}]}}]
                backendRefs: [{name: echo, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: admin}
            spec:
              parentRefs: [{name: gw, sectionName: admin}]
              rules:
              - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: admin}]}}]
                backendRefs: [{name: echo, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: second}
            spec:
              parentRefs: [{name: gw, port: $PORT2}]
              hostnames: [second.example.com]
              rules:
              - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: second}]}}]
                backendRefs: [{name: echo, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: team, namespace: team}
            spec:
              parentRefs: [{name: gw, namespace: default, sectionName: web}]
              hostnames: [team.example.com]
              rules:
              - matches: [{path: {type: Exact, value: /granted}}]
                backendRefs: [{name: echo, namespace: default, port: 8080}]
              - matches: [{path: {type: Exact, value: /same-namespace}}]
                backendRefs: [{name: echo, port: 8080}]
              - matches: [{path: {type: Exact, value: /not-granted}}]
                backendRefs: [{name: secret, namespace: vault, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: team-to-echo, namespace: default}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: team}]
              to: [{group: "", kind: Service, name: echo}]
            """;
    }
}
