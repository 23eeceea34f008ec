using System.Net;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// Istio's Bookinfo samples (<c>samples/bookinfo/networking/bookinfo-gateway.yaml</c>,
/// <c>destination-rule-all.yaml</c>, <c>virtual-service-reviews-test-v2.yaml</c>,
/// <c>virtual-service-reviews-50-v3.yaml</c>) as published, files as <c>kubectl apply</c> takes them, with
/// ServiceEntries standing in for the Kubernetes services and pods: productpage and reviews v1/v2/v3 are real
/// upstreams answering their name and version. Only the server port differs (a free port instead of 8080),
/// and the reviews VirtualServices, which bind to the mesh, also name the gateway so it serves them.
/// </summary>
public sealed class YamlBookinfoTests : IClassFixture<YamlBookinfoTests.Fixture>
{
    private const string Reviews = "reviews.default.svc.cluster.local";

    private readonly Fixture _fixture;

    public YamlBookinfoTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>bookinfo-gateway.yaml: the five productpage matches on any host; nothing else.</summary>
    [Theory]
    [InlineData("/productpage", "productpage")]
    [InlineData("/productpage?u=normal", "productpage")]
    [InlineData("/static/bootstrap/css/bootstrap.min.css", "productpage")]
    [InlineData("/login", "productpage")]
    [InlineData("/logout", "productpage")]
    [InlineData("/api/v1/products/0/reviews", "productpage")]
    [InlineData("/productpage/x", "404")] // exact
    [InlineData("/", "404")]
    public async Task BookinfoGateway_ProductpagePaths(string path, string expected)
    {
        using var response = await _fixture.Gateway.SendAsync("bookinfo.example.com", path);

        if (expected == "404")
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            return;
        }

        var echo = await YamlEchoUpstream.ReadAsync(response);
        Assert.Equal(expected, echo.Upstream);
        Assert.Equal(path, echo.Target);
    }

    /// <summary>virtual-service-reviews-test-v2.yaml (Istio's request-routing task): jason gets v2, everyone else v1.</summary>
    [Theory]
    [InlineData("jason", "v2")]
    [InlineData("kim", "v1")]
    [InlineData("", "v1")]
    public async Task ReviewsTestV2_JasonGetsV2(string user, string expected)
    {
        (string, string)[] headers = user.Length == 0 ? [] : [("end-user", user)];
        for (var i = 0; i < 3; i++)
        {
            using var response = await _fixture.Gateway.SendAsync(Reviews, "/reviews/0", headers: headers);
            Assert.Equal(expected, (await YamlEchoUpstream.ReadAsync(response)).Upstream);
        }
    }

    /// <summary>At a gateway the short host <c>reviews</c> stands for <c>reviews.default.svc.cluster.local</c> only.</summary>
    [Fact]
    public async Task ReviewsTestV2_ShortNameAsHost_404()
    {
        using var response = await _fixture.Gateway.SendAsync("reviews", "/reviews/0");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>virtual-service-reviews-50-v3.yaml (Istio's traffic-shifting task): half to v1, half to v3, none to v2.</summary>
    [Fact]
    public async Task Reviews50V3_HalfToV1HalfToV3()
    {
        await using var gateway = await _fixture.StartAsync(Reviews50V3);
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 200; i++)
        {
            using var response = await gateway.SendAsync(Reviews, "/reviews/0");
            var upstream = (await YamlEchoUpstream.ReadAsync(response)).Upstream;
            counts[upstream] = counts.GetValueOrDefault(upstream) + 1;
        }

        Assert.Equal(["v1", "v3"], counts.Keys.Order());
        Assert.InRange(counts["v1"], 70, 130); // 50 % ± 15 points: far outside chance failure
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private YamlEchoUpstream[] _upstreams = [];

        /// <summary>bookinfo-gateway, destination-rule-all and reviews-test-v2.</summary>
        public YamlGateway Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _upstreams =
            [
                await YamlEchoUpstream.StartAsync("productpage"),
                await YamlEchoUpstream.StartAsync("v1"),
                await YamlEchoUpstream.StartAsync("v2"),
                await YamlEchoUpstream.StartAsync("v3"),
            ];
            Gateway = await StartAsync(ReviewsTestV2);
        }

        /// <summary>Starts a gateway on the Bookinfo gateway, destination rules, services and one reviews VirtualService.</summary>
        public Task<YamlGateway> StartAsync(string reviewsVirtualService)
        {
            var port = YamlGateway.ReservePort();
            return YamlGateway.StartAsync(
                [port],
                ("bookinfo-gateway.yaml", YamlGateway.Fill(BookinfoGateway, ("PORT", port))),
                ("destination-rule-all.yaml", DestinationRuleAll),
                ("services.yaml", YamlGateway.Fill(Services, ("PRODUCTPAGE", _upstreams[0].Port), ("REVIEWS_V1", _upstreams[1].Port), ("REVIEWS_V2", _upstreams[2].Port), ("REVIEWS_V3", _upstreams[3].Port))),
                ("virtual-service-reviews.yaml", reviewsVirtualService));
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            foreach (var upstream in _upstreams)
            {
                await upstream.DisposeAsync();
            }
        }
    }

    private const string BookinfoGateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: bookinfo-gateway
        spec:
          # The selector matches the ingress gateway pod labels.
          # If you installed Istio using Helm following the standard documentation, this would be "istio=ingress"
          selector:
            istio: ingressgateway # use istio default controller
          servers:
          - port:
              number: $PORT
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

    private const string DestinationRuleAll = """
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
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: ratings
        spec:
          host: ratings
          subsets:
          - name: v1
            labels:
              version: v1
          - name: v2
            labels:
              version: v2
          - name: v2-mysql
            labels:
              version: v2-mysql
          - name: v2-mysql-vm
            labels:
              version: v2-mysql-vm
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: details
        spec:
          host: details
          subsets:
          - name: v1
            labels:
              version: v1
          - name: v2
            labels:
              version: v2
        """;

    /// <summary>What Kubernetes would provide for bookinfo.yaml's productpage and reviews Services and their pods.</summary>
    private const string Services = """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: productpage}
        spec:
          hosts: [productpage.default.svc.cluster.local]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: $PRODUCTPAGE}, labels: {app: productpage, version: v1}}]
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
          - {address: 127.0.0.1, ports: {http: $REVIEWS_V1}, labels: {app: reviews, version: v1}}
          - {address: 127.0.0.1, ports: {http: $REVIEWS_V2}, labels: {app: reviews, version: v2}}
          - {address: 127.0.0.1, ports: {http: $REVIEWS_V3}, labels: {app: reviews, version: v3}}
        """;

    /// <summary>As published, plus <c>gateways: [bookinfo-gateway, mesh]</c> (without it the rules bind to the mesh only).</summary>
    private const string ReviewsTestV2 = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
            - reviews
          gateways:
            - bookinfo-gateway
            - mesh
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

    /// <summary>As published, plus <c>gateways: [bookinfo-gateway]</c>.</summary>
    private const string Reviews50V3 = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
            - reviews
          gateways:
            - bookinfo-gateway
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
}
