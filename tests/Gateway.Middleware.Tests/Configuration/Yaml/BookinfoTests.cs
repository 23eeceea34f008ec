using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// Istio's Bookinfo samples (<c>samples/bookinfo/networking/bookinfo-gateway.yaml</c>,
/// <c>virtual-service-reviews-test-v2.yaml</c>, <c>virtual-service-reviews-50-v3.yaml</c>,
/// <c>destination-rule-all.yaml</c>) as published, with ServiceEntries standing in for the Kubernetes services.
/// </summary>
public sealed class BookinfoTests
{
    private const string BookinfoGateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: bookinfo-gateway
        spec:
          # The selector matches the ingress gateway pod labels.
          selector:
            istio: ingressgateway # use istio default controller
          servers:
          - port:
              number: 8080
              name: http
              protocol: HTTP
            hosts:
            - "*"
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: bookinfo
        spec:
          hosts:
          - "*"
          gateways:
          - bookinfo-gateway
          http:
          - match:
            - uri:
                exact: /productpage
            - uri:
                prefix: /static
            - uri:
                exact: /login
            - uri:
                exact: /logout
            - uri:
                prefix: /api/v1/products
            route:
            - destination:
                host: productpage
                port:
                  number: 9080
        """;

    private const string ReviewsTestV2 = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
            - reviews
          http:
          - match:
            - headers:
                end-user:
                  exact: jason
            route:
            - destination:
                host: reviews
                subset: v2
          - route:
            - destination:
                host: reviews
                subset: v1
        """;

    private const string Reviews50V3 = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
            - reviews
          http:
          - route:
            - destination:
                host: reviews
                subset: v1
              weight: 50
            - destination:
                host: reviews
                subset: v3
              weight: 50
        """;

    private const string DestinationRules = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: productpage
        spec:
          host: productpage
          subsets:
          - name: v1
            labels:
              version: v1
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: reviews
        spec:
          host: reviews
          subsets:
          - name: v1
            labels:
              version: v1
          - name: v2
            labels:
              version: v2
          - name: v3
            labels:
              version: v3
        """;

    /// <summary>What Kubernetes would provide: the services and their pods, as ServiceEntries.</summary>
    private const string Services = """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: productpage}
        spec:
          hosts: [productpage.default.svc.cluster.local]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 19080}, labels: {app: productpage, version: v1}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints:
          - {address: 127.0.0.1, ports: {http: 19081}, labels: {app: reviews, version: v1}}
          - {address: 127.0.0.1, ports: {http: 19082}, labels: {app: reviews, version: v2}}
          - {address: 127.0.0.1, ports: {http: 19083}, labels: {app: reviews, version: v3}}
        """;

    [Theory]
    [InlineData("/productpage", "productpage.default.svc.cluster.local")]
    [InlineData("/static/bootstrap.css", "productpage.default.svc.cluster.local")]
    [InlineData("/login", "productpage.default.svc.cluster.local")]
    [InlineData("/logout", "productpage.default.svc.cluster.local")]
    [InlineData("/api/v1/products/0/reviews", "productpage.default.svc.cluster.local")]
    [InlineData("/productpage/x", "404")]
    [InlineData("/", "404")]
    public async Task BookinfoGateway_ProductpagePaths_RoutedToProductpage(string path, string expected)
    {
        await using var gateway = await YamlTestHost.StartAsync(("bookinfo-gateway.yaml", BookinfoGateway), ("services.yaml", Services));

        Assert.Equal(expected, await gateway.UpstreamAsync(path, "bookinfo.example.com", 8080));
    }

    [Fact]
    public void ReviewsTestV2_AsPublished_BindsToTheMeshOnlySoNotServedHere()
    {
        var result = IstioYaml.Load([("bookinfo-gateway.yaml", BookinfoGateway), ("services.yaml", Services), ("destination-rule-all.yaml", DestinationRules), ("virtual-service-reviews-test-v2.yaml", ReviewsTestV2)]);

        Assert.Empty(result.Errors);
        Assert.Contains("virtual-service-reviews-test-v2.yaml#1 VirtualService default/reviews: spec.gateways: binds to the mesh (sidecars) only, not to this gateway: not served", result.Warnings);
        Assert.Equal(["default/bookinfo#0"], result.Config.Routes.Select(r => r.Name));
    }

    [Theory]
    [InlineData("jason", "reviews.default.svc.cluster.local/v2")]
    [InlineData("kim", "reviews.default.svc.cluster.local/v1")]
    [InlineData("", "reviews.default.svc.cluster.local/v1")]
    public async Task ReviewsTestV2_BoundToTheGateway_JasonGetsV2(string user, string expected)
    {
        // Istio's request-routing task, with the VirtualService also bound to the ingress gateway.
        var bound = ReviewsTestV2.Replace("  http:", "  gateways: [bookinfo-gateway, mesh]\n  http:", StringComparison.Ordinal);
        await using var gateway = await YamlTestHost.StartAsync(("bookinfo-gateway.yaml", BookinfoGateway), ("services.yaml", Services), ("destination-rule-all.yaml", DestinationRules), ("reviews.yaml", bound));

        var headers = user.Length == 0 ? [] : new[] { ("end-user", user) };
        Assert.Equal(expected, await gateway.UpstreamAsync("/reviews/0", "reviews.default.svc.cluster.local", 8080, "GET", headers));
    }

    [Fact]
    public async Task ReviewsShortHost_RequestForTheShortName_404()
    {
        // At a gateway the short host "reviews" stands for reviews.default.svc.cluster.local only.
        var bound = Reviews50V3.Replace("  http:", "  gateways: [bookinfo-gateway]\n  http:", StringComparison.Ordinal);
        await using var gateway = await YamlTestHost.StartAsync(("bookinfo-gateway.yaml", BookinfoGateway), ("services.yaml", Services), ("destination-rule-all.yaml", DestinationRules), ("reviews.yaml", bound));

        Assert.Equal("404", await gateway.UpstreamAsync("/reviews/0", "reviews", 8080));
    }

    [Fact]
    public async Task Reviews50V3_BoundToTheGateway_HalfToV1HalfToV3()
    {
        var bound = Reviews50V3.Replace("  http:", "  gateways: [bookinfo-gateway]\n  http:", StringComparison.Ordinal);
        var result = IstioYaml.Load([("bookinfo-gateway.yaml", BookinfoGateway), ("services.yaml", Services), ("destination-rule-all.yaml", DestinationRules), ("reviews.yaml", bound)]);
        Assert.Empty(result.Errors);
        Assert.Equal([("v1", 50), ("v3", 50)], result.Config.Routes.Single(r => r.Name == "default/reviews#0").Destinations.Select(d => (d.Subset!, d.Weight)));

        await using var gateway = await YamlTestHost.StartAsync(("bookinfo-gateway.yaml", BookinfoGateway), ("services.yaml", Services), ("destination-rule-all.yaml", DestinationRules), ("reviews.yaml", bound));
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 400; i++)
        {
            var upstream = await gateway.UpstreamAsync("/reviews/0", "reviews.default.svc.cluster.local", 8080);
            counts[upstream] = counts.GetValueOrDefault(upstream) + 1;
        }

        Assert.Equal(["reviews.default.svc.cluster.local/v1", "reviews.default.svc.cluster.local/v3"], counts.Keys.Order());
        Assert.InRange(counts["reviews.default.svc.cluster.local/v1"], 140, 260); // 50 % ± 15 points: far outside chance failure
    }
}
