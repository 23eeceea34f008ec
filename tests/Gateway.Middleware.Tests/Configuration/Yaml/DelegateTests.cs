using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// VirtualService <c>delegate</c> (one level): the parent rule is replaced by the delegate's rules, each match
/// the AND of a parent match and a child match the child must lie within (Istio's mergeHTTPMatchRequests).
/// </summary>
public sealed class DelegateTests
{
    private const string Parent = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: root, namespace: default}
        spec:
          hosts: [shop.example.com]
          gateways: [gw]
          http:
          - name: products
            match: [{uri: {prefix: /products}, headers: {x-tenant: {exact: acme}}}]
            delegate: {name: products, namespace: team}
            timeout: 3s
            headers: {request: {set: {x-from: root}}}
          - name: rest
            route: [{destination: {host: a.default.svc.cluster.local}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: products, namespace: team}
        spec:
          http:
          - name: v2
            match: [{uri: {prefix: /products/v2}}]
            route: [{destination: {host: b}}]
            timeout: 1s
          - name: outside
            match: [{uri: {prefix: /orders}}]
            route: [{destination: {host: b}}]
          - name: all
            route: [{destination: {host: a.default.svc.cluster.local}}]
        """;

    [Theory]
    [InlineData("/products/v2/x", "acme", "default/root/products>team/products/v2")]
    [InlineData("/products/v1", "acme", "default/root/products>team/products/all")]
    [InlineData("/products/v2", "", "default/root/rest")] // the parent's header condition still applies
    [InlineData("/orders", "acme", "default/root/rest")] // the child's match outside the parent's never takes effect
    public async Task Route_DelegatedRules_ParentAndChildMatchesCombined(string path, string tenant, string expected)
    {
        await using var gateway = await Yaml.StartAsync(Yaml.Gateway(), Yaml.Service("a"), Yaml.Service("b", "team"), Parent);

        var headers = tenant.Length > 0 ? new[] { ("x-tenant", tenant) } : [];
        Assert.Equal(expected, (await gateway.RouteAsync(path, "shop.example.com", headers: headers)).Split('|')[0]);
    }

    [Fact]
    public void Load_DelegatedRules_ChildFieldsWinParentFillsGaps()
    {
        var result = Yaml.Load(Yaml.Gateway(), Yaml.Service("a"), Yaml.Service("b", "team"), Parent);

        Assert.Empty(result.Errors);
        var v2 = Yaml.Route(result.Config, "default/root/products>team/products/v2");
        Assert.Equal(TimeSpan.FromSeconds(1), v2.Timeout);
        Assert.Equal("b.team.svc.cluster.local", v2.Destinations[0].Upstream); // resolved in the delegate's namespace
        Assert.Equal([new KeyValuePair<string, string>("x-from", "root")], v2.RequestHeaders!.Set);
        Assert.Equal(["shop.example.com"], v2.Hosts);
        Assert.Equal("test.yaml#5 VirtualService team/products", v2.Source);
        Assert.Equal("spec.http[0]", v2.SourcePath);
        Assert.Equal(TimeSpan.FromSeconds(3), Yaml.Route(result.Config, "default/root/products>team/products/all").Timeout);
        Assert.Contains("test.yaml#5 VirtualService team/products: spec.http[1].match: conflicts with the match of test.yaml#4 VirtualService default/root: spec.http[0] (a delegate's match must be a subset of its parent's): the rule is not served", result.Warnings);
    }

    [Theory]
    [InlineData("prefix:/a", "prefix:/a/b", "prefix:/a/b")]
    [InlineData("prefix:/a", "exact:/a/b", "exact:/a/b")]
    [InlineData("prefix:/a/b", "prefix:/a", null)]
    [InlineData("exact:/a", "exact:/a", "exact:/a")]
    [InlineData("exact:/a", "exact:/b", null)]
    [InlineData("exact:/a", "prefix:/a", null)]
    [InlineData("regex:/a.*", "prefix:/a", null)] // a parent regex admits no other condition
    [InlineData("prefix:/a", "regex:/a.*", null)]
    [InlineData("prefix:/a", "", "prefix:/a")]
    [InlineData("", "prefix:/b", "prefix:/b")]
    public void MergeMatches_UriTable_IstioConflictRules(string parent, string child, string? merged)
    {
        var result = YamlModelBuilderAccess.Merge([Match(parent)], [Match(child)]);

        if (merged is null)
        {
            Assert.Null(result);
        }
        else
        {
            Assert.Equal(Match(merged).Path, Assert.Single(result!).Path);
        }
    }

    [Fact]
    public void MergeMatches_HeadersUnionAndConflict()
    {
        var parent = new RouteMatchConfig { Headers = [new("x-a", new(StringMatchKind.Exact, "1"))], Method = new(StringMatchKind.Exact, "GET") };
        var child = new RouteMatchConfig { Headers = [new("x-b", null)], Port = 8080 };

        var merged = Assert.Single(YamlModelBuilderAccess.Merge([parent], [child])!);
        Assert.Equal(["x-b", "x-a"], merged.Headers.Select(h => h.Name));
        Assert.Equal(parent.Method, merged.Method);
        Assert.Equal(8080, merged.Port);
        Assert.Null(YamlModelBuilderAccess.Merge([parent], [new RouteMatchConfig { Headers = [new("X-A", new(StringMatchKind.Exact, "2"))] }]));
        Assert.Null(YamlModelBuilderAccess.Merge([parent], [new RouteMatchConfig { IgnoreUriCase = true }]));
    }

    [Fact]
    public void MergeMatches_EachChildMatchWithEveryCompatibleParentMatch()
    {
        var merged = YamlModelBuilderAccess.Merge(
            [Match("prefix:/a"), Match("prefix:/b")],
            [Match("prefix:/a/1"), Match("prefix:/b/2")]);

        Assert.Equal(["/a/1", "/b/2"], merged!.Select(m => m.Path!.Value));
    }

    [Theory]
    [InlineData("delegate: {name: missing}", "spec.http[0].delegate: VirtualService default/missing not found: the rule is not served")]
    public void Load_DelegateNotFound_Warning(string http, string warning)
    {
        var result = Yaml.Load(Yaml.Gateway(), $$$"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: root, namespace: default}
            spec: {hosts: [a.example.com], gateways: [gw], http: [{{{{http}}}}]}
            """);

        Assert.Empty(result.Errors);
        Assert.Contains("test.yaml#2 VirtualService default/root: " + warning, result.Warnings);
    }

    [Fact]
    public void Load_DelegateWithRouteOrSecondLevel_Errors()
    {
        var result = Yaml.Load(Yaml.Gateway(), Yaml.Service("a"), """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: root, namespace: default}
            spec:
              hosts: [a.example.com]
              gateways: [gw]
              http:
              - delegate: {name: child}
                route: [{destination: {host: a}}]
              - delegate: {name: child}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: child, namespace: default}
            spec:
              http: [{delegate: {name: grandchild}}]
            """);

        Assert.Equal(
        [
            "test.yaml#3 VirtualService default/root: spec.http[0].delegate: a delegating rule cannot also have route, redirect or directResponse",
            "test.yaml#4 VirtualService default/child: spec.http[0].delegate: only one level of delegation is supported",
        ], result.Errors);
    }

    private static RouteMatchConfig Match(string text)
    {
        if (text.Length == 0)
        {
            return new RouteMatchConfig();
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = text[..colon] switch { "exact" => StringMatchKind.Exact, "prefix" => StringMatchKind.Prefix, _ => StringMatchKind.Regex };
        return new RouteMatchConfig { Path = new StringMatchConfig(kind, text[(colon + 1)..]) };
    }

    private static class YamlModelBuilderAccess
    {
        public static List<RouteMatchConfig>? Merge(RouteMatchConfig[] parents, RouteMatchConfig[] children)
        {
            // An empty parent or child list stands for "no match" (everything).
            IReadOnlyList<RouteMatchConfig> p = parents is [{ Path: null, Headers.Count: 0, Method: null }] ? [] : parents;
            IReadOnlyList<RouteMatchConfig> c = children is [{ Path: null, Headers.Count: 0, Port: null, IgnoreUriCase: false }] ? [] : children;
            return YamlModelBuilder.MergeMatches(p, c);
        }
    }
}
