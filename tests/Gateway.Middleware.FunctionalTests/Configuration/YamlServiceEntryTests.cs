using System.Net;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// Where requests go, as ServiceEntries and WorkloadEntries declare it: STATIC endpoints with named ports,
/// <c>targetPort</c> and labels, <c>workloadSelector</c> over WorkloadEntries, and DNS resolution, through real
/// requests to real upstreams.
/// </summary>
public sealed class YamlServiceEntryTests : IClassFixture<YamlServiceEntryTests.Fixture>
{
    private const string Host = "services.example.com";

    private readonly Fixture _fixture;

    public YamlServiceEntryTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>
    /// Istio ServiceEntry reference: an endpoint's <c>ports</c> map a service port name to the port the workload
    /// listens on, overriding the port's <c>targetPort</c>, else its number; the destination's <c>port.number</c>
    /// picks the service port.
    /// </summary>
    [Theory]
    [InlineData("/multi/http", "main")]
    [InlineData("/multi/admin", "admin")]
    [InlineData("/named-over-target", "main")]
    public async Task StaticEndpoints_NamedPortPerServicePort(string path, string expected)
    {
        using var response = await _fixture.Gateway.SendAsync(Host, path);

        var echo = await YamlEchoUpstream.ReadAsync(response);
        Assert.Equal(expected, echo.Upstream);
        Assert.Equal(path, echo.Target);
    }

    /// <summary>
    /// Istio ServiceEntry <c>workloadSelector</c>: the WorkloadEntries of the ServiceEntry's namespace whose labels
    /// match are its endpoints (spread by the default load balancer, LEAST_REQUEST); those of other namespaces or with other labels are not.
    /// </summary>
    [Fact]
    public async Task WorkloadSelector_SelectedWorkloadEntriesAllServe()
    {
        var served = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await _fixture.Gateway.SendAsync(Host, "/workloads");
            served.Add((await YamlEchoUpstream.ReadAsync(response)).Upstream);
        }

        Assert.Equal(["workload-a", "workload-b"], served.Order());
        Assert.Equal(0, _fixture.Intruder.Count);
    }

    /// <summary>A DestinationRule subset over WorkloadEntry labels.</summary>
    [Fact]
    public async Task WorkloadSelector_SubsetByWorkloadEntryLabels()
    {
        for (var i = 0; i < 4; i++)
        {
            using var response = await _fixture.Gateway.SendAsync(Host, "/workloads/b");
            Assert.Equal("workload-b", (await YamlEchoUpstream.ReadAsync(response)).Upstream);
        }
    }

    /// <summary>
    /// <c>resolution: DNS</c>: endpoint addresses are names, resolved when connecting (<c>localhost</c> here: a
    /// ServiceEntry without endpoints resolves its own host the same way, but no dotted test host resolves offline).
    /// </summary>
    [Fact]
    public async Task DnsResolution_EndpointNameResolvedWhenConnecting()
    {
        using var response = await _fixture.Gateway.SendAsync(Host, "/dns/endpoint");

        Assert.Equal("dns", (await YamlEchoUpstream.ReadAsync(response)).Upstream);
    }

    [Fact]
    public async Task StaticEndpoint_NothingListening_503ConnectionFailure()
    {
        using var response = await _fixture.Gateway.SendAsync(Host, "/closed");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("upstream connect error or disconnect/reset before headers. reset reason: connection failure", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private YamlEchoUpstream[] _upstreams = [];

        public YamlGateway Gateway { get; private set; } = null!;

        public YamlEchoUpstream Intruder => _upstreams[4];

        public async Task InitializeAsync()
        {
            _upstreams =
            [
                await YamlEchoUpstream.StartAsync("main"),
                await YamlEchoUpstream.StartAsync("admin"),
                await YamlEchoUpstream.StartAsync("workload-a"),
                await YamlEchoUpstream.StartAsync("workload-b"),
                await YamlEchoUpstream.StartAsync("intruder"),
                await YamlEchoUpstream.StartAsync("dns"),
            ];
            var port = YamlGateway.ReservePort();
            var closed = YamlGateway.ReservePort();
            var yaml = YamlGateway.Fill(
                Yaml,
                ("PORT", port),
                ("MAIN", _upstreams[0].Port),
                ("ADMIN", _upstreams[1].Port),
                ("WORKLOAD_A", _upstreams[2].Port),
                ("WORKLOAD_B", _upstreams[3].Port),
                ("INTRUDER", _upstreams[4].Port),
                ("DNS", _upstreams[5].Port),
                ("CLOSED", closed));
            Gateway = await YamlGateway.StartAsync([port], ("services.yaml", yaml));
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            foreach (var upstream in _upstreams)
            {
                await upstream.DisposeAsync();
            }
        }

        private const string Yaml = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              servers:
              - port: {number: $PORT, name: http, protocol: HTTP}
                hosts: [services.example.com]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: services}
            spec:
              hosts: [services.example.com]
              gateways: [gw]
              http:
              - match: [{uri: {exact: /multi/http}}]
                route: [{destination: {host: multi, port: {number: 80}}}]
              - match: [{uri: {exact: /multi/admin}}]
                route: [{destination: {host: multi, port: {number: 9090}}}]
              - match: [{uri: {exact: /named-over-target}}]
                route: [{destination: {host: targeted}}]
              - match: [{uri: {exact: /workloads}}]
                route: [{destination: {host: workloads}}]
              - match: [{uri: {exact: /workloads/b}}]
                route: [{destination: {host: workloads, subset: b}}]
              - match: [{uri: {exact: /dns/endpoint}}]
                route: [{destination: {host: dns.example.internal}}]
              - match: [{uri: {exact: /closed}}]
                route: [{destination: {host: closed}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: multi}
            spec:
              hosts: [multi.default.svc.cluster.local]
              location: MESH_INTERNAL
              resolution: STATIC
              ports:
              - {number: 80, name: http, protocol: HTTP}
              - {number: 9090, name: admin, protocol: HTTP}
              endpoints:
              - {address: 127.0.0.1, ports: {http: $MAIN, admin: $ADMIN}, labels: {app: multi}}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: targeted}
            spec:
              hosts: [targeted.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http, targetPort: $CLOSED}]
              endpoints: [{address: 127.0.0.1, ports: {http: $MAIN}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: workloads}
            spec:
              hosts: [workloads.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http, protocol: HTTP}]
              workloadSelector: {labels: {app: workloads}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: workloads}
            spec:
              host: workloads
              subsets: [{name: a, labels: {version: a}}, {name: b, labels: {version: b}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: workload-a}
            spec: {address: 127.0.0.1, ports: {http: $WORKLOAD_A}, labels: {app: workloads, version: a}}
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: WorkloadEntry
            metadata: {name: workload-b}
            spec: {address: 127.0.0.1, ports: {http: $WORKLOAD_B}, labels: {app: workloads, version: b}}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: workload-elsewhere, namespace: other}
            spec: {address: 127.0.0.1, ports: {http: $INTRUDER}, labels: {app: workloads, version: b}}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: workload-other-app}
            spec: {address: 127.0.0.1, ports: {http: $INTRUDER}, labels: {app: other, version: a}}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: dns}
            spec:
              hosts: [dns.example.internal]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 80, name: http, protocol: HTTP}]
              endpoints: [{address: localhost, ports: {http: $DNS}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: closed}
            spec:
              hosts: [closed.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http}]
              endpoints: [{address: 127.0.0.1, ports: {http: $CLOSED}}]
            """;
    }
}
