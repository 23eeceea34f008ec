using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// What a VirtualService rule does, loaded from YAML and observed on real upstreams: destinations with
/// DestinationRule subsets and weights, redirect, directResponse, rewrite, headers, fault, timeout, retries,
/// mirror, corsPolicy, delegate, and the 503 an unresolvable destination gets.
/// </summary>
public sealed class YamlVirtualServiceActionTests : IClassFixture<YamlVirtualServiceActionTests.Fixture>
{
    private const string Host = "actions.example.com";

    private readonly Fixture _fixture;

    public YamlVirtualServiceActionTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>Istio <c>Destination.subset</c> selects the endpoints whose labels the DestinationRule subset names.</summary>
    [Theory]
    [InlineData("/subset/v1", "v1")]
    [InlineData("/subset/v2", "v2")]
    [InlineData("/subset/v3", "v3")]
    public async Task Route_Subset_EndpointsWithTheSubsetLabels(string path, string expected)
    {
        using var response = await _fixture.Gateway.SendAsync(Host, path);

        Assert.Equal(expected, (await YamlEchoUpstream.ReadAsync(response)).Upstream);
    }

    [Fact]
    public async Task Route_Weights0And100_EveryRequestToTheWeightedSubset()
    {
        for (var i = 0; i < 20; i++)
        {
            using var response = await _fixture.Gateway.SendAsync(Host, "/weights");
            Assert.Equal("v3", (await YamlEchoUpstream.ReadAsync(response)).Upstream);
        }
    }

    /// <summary>Istio <c>HTTPRedirect</c>: uri, authority, scheme, port; <c>redirectCode</c> defaults to 301.</summary>
    [Theory]
    [InlineData("/redirect/all", 308, "https://new.example.com:8443/new")]
    [InlineData("/redirect/default", 301, "http://actions.example.com/moved")]
    public async Task Redirect_LocationAndCode(string path, int code, string location)
    {
        var before = _fixture.Total;
        using var response = await _fixture.Gateway.SendAsync(Host, path);

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        Assert.Equal(before, _fixture.Total);
    }

    /// <summary>Istio <c>HTTPDirectResponse</c> with a <c>body.string</c> or base64 <c>body.bytes</c>.</summary>
    [Theory]
    [InlineData("/direct/string", 418, "short and stout")]
    [InlineData("/direct/bytes", 200, "hello")]
    public async Task DirectResponse_StatusAndBody(string path, int status, string body)
    {
        var before = _fixture.Total;
        using var response = await _fixture.Gateway.SendAsync(Host, path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, _fixture.Total);
    }

    /// <summary>Istio <c>HTTPRewrite</c>: <c>uri</c> replaces the matched prefix, <c>authority</c> the Host; <c>uriRegexRewrite</c> substitutes.</summary>
    [Theory]
    [InlineData("/rewrite/users?id=7", "/v1/users?id=7", "rewritten.example.com")]
    [InlineData("/regex/foo/api/items?x=1", "/api/items/instance/foo?x=1", Host)]
    public async Task Rewrite_UpstreamGetsRewrittenTargetAndHost(string request, string target, string host)
    {
        using var response = await _fixture.Gateway.SendAsync(Host, request);

        var echo = await YamlEchoUpstream.ReadAsync(response);
        Assert.Equal(target, echo.Target);
        Assert.Equal(host, echo.Host);
    }

    /// <summary>Istio <c>Headers</c> at rule and destination level: set overwrites, add appends, remove removes; both directions.</summary>
    [Fact]
    public async Task Headers_RequestAndResponseOperations()
    {
        using var response = await _fixture.Gateway.SendAsync(Host, "/headers", headers: [("x-set", "client"), ("x-add", "client"), ("x-remove", "client")]);

        var echo = await YamlEchoUpstream.ReadAsync(response);
        Assert.Equal("rule", echo.Header("x-set"));
        Assert.Equal("client, rule", echo.Header("x-add"));
        Assert.Null(echo.Header("x-remove"));
        Assert.Equal("destination", echo.Header("x-destination"));
        Assert.Equal("rule", Assert.Single(response.Headers.GetValues("x-response-set")));
        Assert.Equal("destination", Assert.Single(response.Headers.GetValues("x-response-destination")));
        Assert.False(response.Headers.Contains("x-upstream"));
    }

    /// <summary>Istio <c>HTTPFaultInjection.Abort</c>: the gateway answers with the status and Envoy's text; the upstream sees nothing.</summary>
    [Fact]
    public async Task FaultAbort_StatusAndEnvoyText_UpstreamUntouched()
    {
        var before = _fixture.Total;
        using var response = await _fixture.Gateway.SendAsync(Host, "/fault/abort");

        Assert.Equal(418, (int)response.StatusCode);
        Assert.Equal("fault filter abort", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, _fixture.Total);
    }

    /// <summary>Istio <c>HTTPFaultInjection.Delay.fixedDelay</c>: the request is held, then forwarded.</summary>
    [Fact]
    public async Task FaultDelay_RequestForwardedAfterTheDelay()
    {
        var watch = Stopwatch.StartNew();
        using var response = await _fixture.Gateway.SendAsync(Host, "/fault/delay");

        Assert.Equal("v1", (await YamlEchoUpstream.ReadAsync(response)).Upstream);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"answered after {watch.Elapsed}");
    }

    /// <summary>Istio <c>HTTPRoute.timeout</c>: an upstream slower than the timeout → 504 <c>upstream request timeout</c>.</summary>
    [Fact]
    public async Task Timeout_SlowUpstream_504()
    {
        var watch = Stopwatch.StartNew();
        using var response = await _fixture.Gateway.SendAsync(Host, "/timeout");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"answered after {watch.Elapsed}");
    }

    /// <summary>Istio <c>HTTPRetry</c> (<c>attempts: 3, retryOn: 5xx</c>): an upstream failing twice succeeds on the third try; <c>attempts: 0</c> disables retries.</summary>
    [Theory]
    [InlineData("/retry", HttpStatusCode.OK, 3)]
    [InlineData("/no-retry", HttpStatusCode.ServiceUnavailable, 1)]
    public async Task Retries_FlakyUpstream(string prefix, HttpStatusCode expected, int tries)
    {
        var path = $"{prefix}/{Guid.NewGuid():N}";
        using var response = await _fixture.Gateway.SendAsync(Host, path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(tries, _fixture.Tries(path));
    }

    /// <summary>
    /// Istio <c>mirror</c> with <c>mirrorPercentage: 100</c>, and <c>mirrors</c> with <c>percentage</c>: the shadow gets
    /// a copy with <c>-shadow</c> appended to the Host; the client gets the route's answer.
    /// </summary>
    [Theory]
    [InlineData("/mirror/")]
    [InlineData("/mirrors/")]
    public async Task Mirror_CopyReachesTheShadowUpstream(string prefix)
    {
        var path = $"{prefix}{Guid.NewGuid():N}";
        using var response = await _fixture.Gateway.SendAsync(Host, path);

        Assert.Equal("v1", (await YamlEchoUpstream.ReadAsync(response)).Upstream);
        var copy = await _fixture.MirroredAsync(path);
        Assert.Equal($"{Host}-shadow", copy.Host.Value);
    }

    /// <summary>Istio <c>CorsPolicy</c>: an allowed preflight is answered by the gateway; an actual request gets the CORS response headers.</summary>
    [Fact]
    public async Task Cors_PreflightAnsweredByTheGateway_ActualRequestDecorated()
    {
        var before = _fixture.Total;
        using var preflight = await _fixture.Gateway.SendAsync(Host, "/cors", "OPTIONS", headers: [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "x-custom")]);

        Assert.Equal(HttpStatusCode.OK, preflight.StatusCode);
        Assert.Equal("https://app.example.com", Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("GET,POST", Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.Equal("x-custom", Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Headers")));
        Assert.Equal("86400", Assert.Single(preflight.Headers.GetValues("Access-Control-Max-Age")));
        Assert.Equal("true", Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.Equal(before, _fixture.Total);

        using var actual = await _fixture.Gateway.SendAsync(Host, "/cors", headers: [("Origin", "https://app.example.com")]);

        Assert.Equal("v1", (await YamlEchoUpstream.ReadAsync(actual)).Upstream);
        Assert.Equal("https://app.example.com", Assert.Single(actual.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("x-upstream", Assert.Single(actual.Headers.GetValues("Access-Control-Expose-Headers")));

        using var other = await _fixture.Gateway.SendAsync(Host, "/cors", headers: [("Origin", "https://evil.example.com")]);

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    /// <summary>
    /// Istio <c>CorsPolicy.unmatchedPreflights</c>: a preflight from an origin the policy does not allow is forwarded
    /// (FORWARD, the default) or answered by the gateway without CORS headers (IGNORE).
    /// </summary>
    [Theory]
    [InlineData("/cors", true)]
    [InlineData("/cors/ignore", false)]
    public async Task Cors_UnmatchedPreflight_ForwardedOrIgnored(string path, bool forwarded)
    {
        var before = _fixture.Total;
        using var preflight = await _fixture.Gateway.SendAsync(Host, path, "OPTIONS", headers: [("Origin", "https://evil.example.com"), ("Access-Control-Request-Method", "POST")]);

        Assert.Equal(HttpStatusCode.OK, preflight.StatusCode);
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(forwarded ? before + 1 : before, _fixture.Total);
    }

    /// <summary>Istio <c>Delegate</c>: the parent's match narrows the child's rules, the parent's later rules still apply.</summary>
    [Theory]
    [InlineData("/products/v2/x", "v2")]
    [InlineData("/products/1", "v3")]
    [InlineData("/other", "v1")]
    public async Task Delegate_ChildRulesUnderTheParentMatch(string path, string expected)
    {
        using var response = await _fixture.Gateway.SendAsync("delegate.example.com", path);

        var echo = await YamlEchoUpstream.ReadAsync(response);
        Assert.Equal(expected, echo.Upstream);
        Assert.Equal(path, echo.Target);
    }

    /// <summary>A destination no ServiceEntry or DestinationRule declares: accepted, and Envoy's 503 at run time (istioctl IST0101).</summary>
    [Theory]
    [InlineData("/unknown/host")]
    [InlineData("/unknown/subset")]
    public async Task UnresolvableDestination_503NoHealthyUpstream(string path)
    {
        using var response = await _fixture.Gateway.SendAsync(Host, path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no healthy upstream", await response.Content.ReadAsStringAsync());
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Dictionary<string, int> _tries = [];
        private readonly Dictionary<string, HeaderRecord> _mirrored = [];
        private YamlEchoUpstream[] _versions = [];
        private YamlEchoUpstream _flaky = null!;
        private YamlEchoUpstream _slow = null!;
        private YamlEchoUpstream _shadow = null!;

        public YamlGateway Gateway { get; private set; } = null!;

        /// <summary>Requests that reached v1, v2 or v3.</summary>
        public int Total => _versions.Sum(v => v.Count);

        public async Task InitializeAsync()
        {
            _versions = [await YamlEchoUpstream.StartAsync("v1"), await YamlEchoUpstream.StartAsync("v2"), await YamlEchoUpstream.StartAsync("v3")];
            _flaky = await YamlEchoUpstream.StartAsync("flaky", async (context, _) =>
            {
                int tries;
                lock (_tries)
                {
                    tries = _tries[context.Request.Path.Value!] = _tries.GetValueOrDefault(context.Request.Path.Value!) + 1;
                }

                if (tries > 2)
                {
                    return false;
                }

                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("try again");
                return true;
            });
            _slow = await YamlEchoUpstream.StartAsync("slow", async (context, _) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return false;
            });
            _shadow = await YamlEchoUpstream.StartAsync("shadow", (context, _) =>
            {
                lock (_mirrored)
                {
                    _mirrored[context.Request.Path.Value!] = new HeaderRecord(context.Request.Host);
                }

                return Task.FromResult(false);
            });
            var port = YamlGateway.ReservePort();
            Gateway = await YamlGateway.StartAsync(
                [port],
                ("gateway.yaml", YamlGateway.Fill(GatewayYaml, ("PORT", port))),
                ("services.yaml", YamlGateway.Fill(Services, ("V1", _versions[0].Port), ("V2", _versions[1].Port), ("V3", _versions[2].Port), ("FLAKY", _flaky.Port), ("SLOW", _slow.Port), ("SHADOW", _shadow.Port))),
                ("actions.yaml", Actions),
                ("delegate.yaml", Delegate));
        }

        public int Tries(string path)
        {
            lock (_tries)
            {
                return _tries.GetValueOrDefault(path);
            }
        }

        /// <summary>Waits for the mirrored copy of the request to <paramref name="path"/> (mirrors are sent in the background).</summary>
        public async Task<HeaderRecord> MirroredAsync(string path)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                lock (_mirrored)
                {
                    if (_mirrored.TryGetValue(path, out var copy))
                    {
                        return copy;
                    }
                }

                await Task.Delay(20);
            }

            throw new TimeoutException($"no mirrored request for {path}");
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            foreach (var upstream in (YamlEchoUpstream[])[.. _versions, _flaky, _slow, _shadow])
            {
                await upstream.DisposeAsync();
            }
        }

        public sealed record HeaderRecord(HostString Host);

        private const string GatewayYaml = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              servers:
              - port: {number: $PORT, name: http, protocol: HTTP}
                hosts: [actions.example.com, delegate.example.com]
            """;

        /// <summary>app: three versions behind one host, told apart by labels; flaky, slow and shadow: one endpoint each.</summary>
        private const string Services = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: app}
            spec:
              hosts: [app.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http, protocol: HTTP}]
              endpoints:
              - {address: 127.0.0.1, ports: {http: $V1}, labels: {version: v1}}
              - {address: 127.0.0.1, ports: {http: $V2}, labels: {version: v2}}
              - {address: 127.0.0.1, ports: {http: $V3}, labels: {version: v3}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: app}
            spec:
              host: app
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
              - {name: v3, labels: {version: v3}}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: flaky}
            spec:
              hosts: [flaky.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http}]
              endpoints: [{address: 127.0.0.1, ports: {http: $FLAKY}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: slow}
            spec:
              hosts: [slow.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http, targetPort: $SLOW}]
              endpoints: [{address: 127.0.0.1}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: shadow}
            spec:
              hosts: [shadow.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http}]
              endpoints: [{address: 127.0.0.1, ports: {http: $SHADOW}}]
            """;

        private const string Actions = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: actions}
            spec:
              hosts: [actions.example.com]
              gateways: [gw]
              http:
              - match: [{uri: {exact: /subset/v1}}]
                route: [{destination: {host: app, subset: v1}}]
              - match: [{uri: {exact: /subset/v2}}]
                route: [{destination: {host: app, subset: v2}}]
              - match: [{uri: {exact: /subset/v3}}]
                route: [{destination: {host: app.default.svc.cluster.local, subset: v3, port: {number: 80}}}]
              - match: [{uri: {exact: /weights}}]
                route:
                - {destination: {host: app, subset: v1}, weight: 0}
                - {destination: {host: app, subset: v3}, weight: 100}
              - match: [{uri: {exact: /redirect/all}}]
                redirect: {uri: /new, authority: new.example.com, scheme: https, port: 8443, redirectCode: 308}
              - match: [{uri: {exact: /redirect/default}}]
                redirect: {uri: /moved}
              - match: [{uri: {exact: /direct/string}}]
                directResponse: {status: 418, body: {string: short and stout}}
              - match: [{uri: {exact: /direct/bytes}}]
                directResponse: {status: 200, body: {bytes: aGVsbG8=}}
              - match: [{uri: {prefix: /rewrite/}}]
                rewrite: {uri: /v1/, authority: rewritten.example.com}
                route: [{destination: {host: app, subset: v1}}]
              - match: [{uri: {prefix: /regex/}}]
                rewrite:
                  uriRegexRewrite: {match: "^/regex/([^/]+)(/.*)$", rewrite: '\2/instance/\1'}
                route: [{destination: {host: app, subset: v1}}]
              - match: [{uri: {exact: /headers}}]
                headers:
                  request: {set: {x-set: rule}, add: {x-add: rule}, remove: [x-remove]}
                  response: {set: {x-response-set: rule}, remove: [x-upstream]}
                route:
                - destination: {host: app, subset: v1}
                  headers:
                    request: {set: {x-destination: destination}}
                    response: {set: {x-response-destination: destination}}
              - match: [{uri: {exact: /fault/abort}}]
                fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
                route: [{destination: {host: app, subset: v1}}]
              - match: [{uri: {exact: /fault/delay}}]
                fault: {delay: {fixedDelay: 300ms, percentage: {value: 100}}}
                route: [{destination: {host: app, subset: v1}}]
              - match: [{uri: {exact: /timeout}}]
                timeout: 200ms
                route: [{destination: {host: slow}}]
              - match: [{uri: {prefix: /retry/}}]
                retries: {attempts: 3, retryOn: 5xx}
                route: [{destination: {host: flaky}}]
              - match: [{uri: {prefix: /no-retry/}}]
                retries: {attempts: 0}
                route: [{destination: {host: flaky}}]
              - match: [{uri: {prefix: /mirror/}}]
                route: [{destination: {host: app, subset: v1}}]
                mirror: {host: shadow}
                mirrorPercentage: {value: 100.0}
              - match: [{uri: {prefix: /mirrors/}}]
                route: [{destination: {host: app, subset: v1}}]
                mirrors: [{destination: {host: shadow}, percentage: {value: 100}}]
              - match: [{uri: {exact: /cors}}]
                route: [{destination: {host: app, subset: v1}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://app.example.com"}]
                  allowMethods: [GET, POST]
                  allowHeaders: [x-custom]
                  exposeHeaders: [x-upstream]
                  maxAge: 24h
                  allowCredentials: true
              - match: [{uri: {exact: /cors/ignore}}]
                route: [{destination: {host: app, subset: v1}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://app.example.com"}]
                  allowMethods: [GET, POST]
                  unmatchedPreflights: IGNORE
              - match: [{uri: {exact: /unknown/host}}]
                route: [{destination: {host: missing}}]
              - match: [{uri: {exact: /unknown/subset}}]
                route: [{destination: {host: app, subset: v9}}]
            """;

        /// <summary>A root VirtualService delegating <c>/products</c> to one in another namespace (Istio's delegate example).</summary>
        private const string Delegate = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: root}
            spec:
              hosts: [delegate.example.com]
              gateways: [gw]
              http:
              - match: [{uri: {prefix: /products}}]
                delegate: {name: products, namespace: team}
              - route: [{destination: {host: app, subset: v1}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: products, namespace: team}
            spec:
              http:
              - match: [{uri: {prefix: /products/v2}}]
                route: [{destination: {host: app.default.svc.cluster.local, subset: v2}}]
              - route: [{destination: {host: app.default.svc.cluster.local, subset: v3}}]
            """;
    }
}
