using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// Gateway API Gateway listeners and HTTPRoute (parentRefs with sectionName, hostnames, matches, filters,
/// backendRefs with weights, timeouts) into the model: GatewayApiPrecedence ordering, identity for ties,
/// backendRef <c>X</c> in <c>N</c> → ServiceEntry host <c>X.N.svc.cluster.local</c>, 500 when unresolvable.
/// </summary>
public sealed class HttpRouteTests
{
    private static GatewayConfig Load(string rules, params string[] more)
        => Yaml.Config([Yaml.GatewayApiGateway, Yaml.Service("a"), Yaml.Service("b", port: 8080), .. more, $"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {"{"}name: store, namespace: default{"}"}
            spec:
              parentRefs: [{"{"}name: gw{"}"}]
              hostnames: [shop.example.com]
              rules:
            {rules}
            """]);

    [Fact]
    public void Load_Listeners_ServerPerHttpListener()
    {
        var result = Yaml.Load("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: infra}
            spec:
              gatewayClassName: istio
              listeners:
              - {name: http, port: 80, protocol: HTTP}
              - name: https
                hostname: "*.example.com"
                port: 443
                protocol: HTTPS
                tls: {mode: Terminate, certificateRefs: [{name: example-cert}]}
              - {name: tcp, port: 5432, protocol: TCP}
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(
            [("infra/gw/http", (int?)80, "*", false), ("infra/gw/https", 443, "*.example.com", true)],
            result.Config.Servers.Select(s => (s.Name, s.Port, Assert.Single(s.Hosts), s.Tls)));
        Assert.Contains("test.yaml#1 Gateway infra/gw: spec.listeners[2].protocol: TCP listeners are not served (the gateway serves HTTP and HTTPS)", result.Warnings);
    }

    [Fact]
    public void Load_Rules_OneRouteEachWithPrecedenceIdentityAndDefaults()
    {
        var config = Load("""
              - matches: [{path: {type: Exact, value: /cart}}, {path: {type: PathPrefix, value: /api}, method: POST, headers: [{name: x-a, value: "1"}, {type: RegularExpression, name: x-b, value: "b+"}], queryParams: [{name: q, value: v}]}]
                backendRefs: [{name: a, port: 80, weight: 3}, {name: b, port: 8080}]
                timeouts: {request: 1h30m}
              - backendRefs: [{name: a, port: 80}]
            """);

        Assert.Equal(["default/store#0", "default/store#1"], config.Routes.Select(r => r.Name));
        var rule = config.Routes[0];
        Assert.Equal(RouteOrdering.GatewayApiPrecedence, rule.Ordering);
        Assert.Equal("default/store", rule.GatewayApi!.QualifiedName);
        Assert.Equal(0, rule.GatewayApi.RuleIndex);
        Assert.Equal(1, config.Routes[1].GatewayApi!.RuleIndex);
        Assert.Equal(["shop.example.com"], rule.Hosts);
        Assert.Equal(["default/gw/http"], rule.Servers);
        Assert.Equal(("test.yaml#4 HTTPRoute default/store", "spec.rules[0]"), (rule.Source, rule.SourcePath));
        Assert.Equal(new StringMatchConfig(StringMatchKind.Exact, "/cart"), rule.Matches[0].Path);
        var api = rule.Matches[1];
        Assert.Equal(new StringMatchConfig(StringMatchKind.SegmentPrefix, "/api"), api.Path);
        Assert.Equal(new StringMatchConfig(StringMatchKind.Exact, "POST"), api.Method);
        Assert.Equal([new NamedMatchConfig("x-a", new(StringMatchKind.Exact, "1")), new NamedMatchConfig("x-b", new(StringMatchKind.Regex, "b+"))], api.Headers);
        Assert.Equal([new NamedMatchConfig("q", new(StringMatchKind.Exact, "v"))], api.QueryParams);
        Assert.Equal(
            [("a.default.svc.cluster.local", 3, (int?)80), ("b.default.svc.cluster.local", 1, 8080)],
            rule.Destinations.Select(d => (d.Upstream, d.Weight, d.Port)));
        Assert.Equal(TimeSpan.FromMinutes(90), rule.Timeout);
        Assert.Equal(new StringMatchConfig(StringMatchKind.SegmentPrefix, "/"), Assert.Single(config.Routes[1].Matches).Path); // no matches: PathPrefix /
    }

    [Fact]
    public void Load_CreationOrder_TimestampElseLoadOrderAfterEveryTimestamp()
    {
        var config = Yaml.Config(Yaml.GatewayApiGateway, Yaml.Service("a"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: no-timestamp}
            spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: a, port: 80}]}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: newer, creationTimestamp: "2024-02-01T00:00:00Z"}
            spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: a, port: 80}]}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: older, creationTimestamp: "2024-01-01T00:00:00Z"}
            spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: a, port: 80}]}]}
            """);

        Assert.Equal(["default/older", "default/newer", "default/no-timestamp"], config.Routes.OrderBy(r => r.GatewayApi!.CreationOrder).Select(r => r.GatewayApi!.QualifiedName));
    }

    [Fact]
    public void Load_Filters_HeaderModifiersRewriteMirror()
    {
        var rule = Assert.Single(Load("""
              - matches: [{path: {type: PathPrefix, value: /old}}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: x-s, value: "1"}], add: [{name: x-a, value: "2"}], remove: [x-r]}
                - type: ResponseHeaderModifier
                  responseHeaderModifier: {add: [{name: x-served, value: gw}]}
                - type: URLRewrite
                  urlRewrite: {hostname: internal.example.com, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}
                - type: RequestMirror
                  requestMirror: {backendRef: {name: b, port: 8080}, percent: 10}
                backendRefs:
                - name: a
                  port: 80
                  filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-backend, value: a}]}}]
            """).Routes);

        Assert.Equal([new KeyValuePair<string, string>("x-s", "1")], rule.RequestHeaders!.Set);
        Assert.Equal([new KeyValuePair<string, string>("x-a", "2")], rule.RequestHeaders.Add);
        Assert.Equal(["x-r"], rule.RequestHeaders.Remove);
        Assert.Equal([new KeyValuePair<string, string>("x-served", "gw")], rule.ResponseHeaders!.Add);
        Assert.Equal(new RewriteConfig { Authority = "internal.example.com", PrefixReplacement = "/new" }, rule.Rewrite);
        var mirror = Assert.Single(rule.Mirrors);
        Assert.Equal(("b.default.svc.cluster.local", 8080, 10.0), (mirror.Destination.Upstream, mirror.Destination.Port!.Value, mirror.Percentage));
        Assert.Equal([new KeyValuePair<string, string>("x-backend", "a")], Assert.Single(rule.Destinations).RequestHeaders!.Set);
    }

    [Theory]
    [InlineData("requestRedirect: {scheme: https}", null, null, "https", null, null, 302)]
    [InlineData("requestRedirect: {hostname: b.example.com, port: 8443, statusCode: 301}", null, null, null, "b.example.com", 8443, 301)]
    [InlineData("requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /full}}", "/full", null, null, null, null, 302)]
    [InlineData("requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /p}}", null, "/p", null, null, null, 302)]
    public void Load_RequestRedirect_Default302(string filter, string? path, string? prefix, string? scheme, string? host, int? port, int code)
    {
        var rule = Assert.Single(Load($"""
              - matches: [{"{"}path: {"{"}value: /old{"}"}{"}"}]
                filters: [{"{"}type: RequestRedirect, {filter}{"}"}]
            """).Routes);

        Assert.Equal(new RedirectConfig { Path = path, PrefixReplacement = prefix, Scheme = scheme, Authority = host, Port = port, Code = code }, rule.Redirect);
        Assert.Empty(rule.Destinations);
    }

    [Theory]
    [InlineData("backendRefs: [{name: missing, port: 80}]", "unresolved:Service default/missing")]
    [InlineData("backendRefs: [{name: a, port: 81}]", "unresolved:Service default/a:81")]
    [InlineData("backendRefs: [{name: a, namespace: other, port: 80}]", "unresolved:Service other/a")]
    [InlineData("backendRefs: [{group: example.com, kind: Bucket, name: a}]", "unresolved:Bucket default/a")]
    [InlineData("backendRefs: [{name: a, port: 80, weight: 0}]", "unresolved:no backend")]
    [InlineData("matches: [{path: {value: /}}]", "unresolved:no backend")]
    [InlineData("filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: Auth, name: x}}]", "unresolved:filter ExtensionRef")]
    public void Load_UnresolvableBackend_UpstreamAnswering500(string rule, string upstream)
    {
        var result = Yaml.Load(Yaml.GatewayApiGateway, Yaml.Service("a"), Yaml.Service("a", "other"), $$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec: {parentRefs: [{name: gw}], rules: [{{{{rule}}}}]}
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(upstream, Assert.Single(Assert.Single(result.Config.Routes).Destinations).Upstream);
        var synthetic = Yaml.Upstream(result.Config, upstream);
        Assert.Equal(500, synthetic.LocalReplyStatus);
        Assert.Empty(synthetic.Endpoints);
    }

    [Fact]
    public void Load_CrossNamespaceBackendWithReferenceGrant_Resolved()
    {
        var config = Yaml.Config(Yaml.GatewayApiGateway, Yaml.Service("a", "backends"), """
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: allow-routes, namespace: backends}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
              to: [{group: "", kind: Service}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: a, namespace: backends, port: 80}]}]}
            """);

        Assert.Equal("a.backends.svc.cluster.local", Assert.Single(Assert.Single(config.Routes).Destinations).Upstream);
    }

    [Fact]
    public void Load_PartlyUnresolvableBackends_500OnlyForItsShare()
    {
        var rule = Assert.Single(Load("    - backendRefs: [{name: a, port: 80, weight: 3}, {name: gone, port: 80, weight: 1}]").Routes);

        Assert.Equal([("a.default.svc.cluster.local", 3), ("unresolved:Service default/gone", 1)], rule.Destinations.Select(d => (d.Upstream, d.Weight)));
    }

    [Theory]
    [InlineData("sectionName: http", true)]
    [InlineData("sectionName: https", false)]
    [InlineData("port: 80", true)]
    [InlineData("port: 81", false)]
    public void Load_ParentRefSectionNameAndPort_AttachToThatListener(string selector, bool attached)
    {
        var result = Yaml.Load(Yaml.GatewayApiGateway, Yaml.Service("a"), $$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec: {parentRefs: [{name: gw, {{{selector}}}}], rules: [{backendRefs: [{name: a, port: 80}]}]}
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(attached ? 1 : 0, result.Config.Routes.Count);
    }

    [Theory]
    [InlineData("Same", "default", true)]
    [InlineData("Same", "other", false)]
    [InlineData("All", "other", true)]
    [InlineData("None", "default", false)]
    public void Load_AllowedRoutesNamespaces_DecidesWhichRoutesAttach(string from, string ns, bool attached)
    {
        var result = Yaml.Load(Yaml.GatewayApiGateway.Replace("from: All", $"from: {from}", StringComparison.Ordinal), Yaml.Service("a", ns), $$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r, namespace: {{{ns}}}}
            spec: {parentRefs: [{name: gw, namespace: default}], rules: [{backendRefs: [{name: a, port: 80}]}]}
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(attached ? 1 : 0, result.Config.Routes.Count);
    }

    [Theory]
    [InlineData("rules: [{matches: [{path: {type: PathPrefix, value: nope}}], backendRefs: [{name: a, port: 80}]}]", "spec.rules[0].matches[0].path.value: 'nope' must start with '/'")]
    [InlineData("rules: [{matches: [{path: {type: RegularExpression, value: \"(\"}}], backendRefs: [{name: a, port: 80}]}]", "spec.rules[0].matches[0].path.value: invalid pattern '(':")]
    [InlineData("rules: [{matches: [{path: {type: Prefix, value: /}}], backendRefs: [{name: a, port: 80}]}]", "spec.rules[0].matches[0].path.type: must be one of Exact, PathPrefix, RegularExpression, got 'Prefix'")]
    [InlineData("rules: [{backendRefs: [{name: a}]}]", "spec.rules[0].backendRefs[0].port: required for a Service backend")]
    [InlineData("rules: [{filters: [{type: RequestRedirect, urlRewrite: {hostname: x}}]}]", "spec.rules[0].filters[0].urlRewrite: must not be set for type RequestRedirect")]
    [InlineData("rules: [{filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /x}}}], matches: [{path: {type: Exact, value: /a}}], backendRefs: [{name: a, port: 80}]}]", "spec.rules[0].filters[0].urlRewrite.path: ReplacePrefixMatch needs every match of the rule to be a PathPrefix match")]
    [InlineData("rules: [{filters: [{type: RequestRedirect, requestRedirect: {statusCode: 305}}]}]", "spec.rules[0].filters[0].requestRedirect.statusCode: must be 301, 302, 303, 307 or 308, got 305")]
    [InlineData("rules: [{timeouts: {request: 1.5s}, backendRefs: [{name: a, port: 80}]}]", "spec.rules[0].timeouts.request: invalid duration '1.5s': expected 1 to 4 integer components")]
    [InlineData("hostnames: [\"*\"], rules: [{backendRefs: [{name: a, port: 80}]}]", "spec.hostnames[0]: '*' is not a valid hostname")]
    [InlineData("rules: [{matches: [{headers: [{name: x}]}], backendRefs: [{name: a, port: 80}]}]", "spec.rules[0].matches[0].headers[0]: name and value are required")]
    public void Load_InvalidHttpRoute_ErrorNamesTheField(string spec, string expected)
    {
        var result = Yaml.Load(Yaml.GatewayApiGateway, Yaml.Service("a"), $"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: r}}\nspec: {{parentRefs: [{{name: gw}}], {spec}}}");

        Assert.Contains(result.Errors, e => e.StartsWith("test.yaml#3 HTTPRoute default/r: " + expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/cart", "default/store#0")]
    [InlineData("/cart/x", "default/store#1")]
    [InlineData("/cartx", "default/store#2")] // PathPrefix matches whole segments
    [InlineData("/", "default/store#2")]
    public async Task Route_HttpRoute_MostSpecificRuleWins(string path, string expected)
    {
        await using var gateway = await Yaml.StartAsync(Yaml.GatewayApiGateway, Yaml.Service("a"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: store}
            spec:
              parentRefs: [{name: gw}]
              hostnames: [shop.example.com]
              rules:
              - matches: [{path: {type: Exact, value: /cart}}]
                backendRefs: [{name: a, port: 80}]
              - matches: [{path: {type: PathPrefix, value: /cart}}]
                backendRefs: [{name: a, port: 80}]
              - backendRefs: [{name: a, port: 80}]
            """);

        Assert.Equal(expected, (await gateway.RouteAsync(path, "shop.example.com")).Split('|')[0]);
    }
}
