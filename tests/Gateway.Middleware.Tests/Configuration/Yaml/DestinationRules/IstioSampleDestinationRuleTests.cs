using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml.DestinationRules;

/// <summary>The DestinationRules of istio.io samples and tasks, loaded as published.</summary>
public sealed class IstioSampleDestinationRuleTests
{
    /// <summary>samples/bookinfo/networking/destination-rule-all-mtls.yaml (productpage and reviews).</summary>
    [Fact]
    public void BookinfoAllMtls_IstioMutualOnEveryHostAndSubsets()
    {
        var result = IstioYaml.Load(
            [("bookinfo.yaml", Yaml.Service("productpage") + "\n---\n" + Yaml.Service("reviews")), ("destination-rule-all-mtls.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: productpage
                spec:
                  host: productpage
                  trafficPolicy:
                    tls:
                      mode: ISTIO_MUTUAL
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
                  trafficPolicy:
                    tls:
                      mode: ISTIO_MUTUAL
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
                """)],
            validateModel: false);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var reviews = Yaml.Upstream(result.Config, "reviews.default.svc.cluster.local");
        Assert.Equal(UpstreamTlsMode.IstioMutual, reviews.TrafficPolicy!.Tls!.Mode);
        Assert.Equal(["v1", "v2", "v3"], reviews.Subsets.Select(s => s.Name));
        Assert.Equal(UpstreamTlsMode.IstioMutual, Yaml.Upstream(result.Config, "productpage.default.svc.cluster.local").TrafficPolicy!.Tls!.Mode);
    }

    /// <summary>istio.io tasks/traffic-management/circuit-breaking: the <c>httpbin</c> rule.</summary>
    [Fact]
    public void CircuitBreakingTask_Httpbin_LimitsAndOutlierDetection()
    {
        var config = Yaml.Config(Yaml.Service("httpbin", port: 8000), """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: httpbin
            spec:
              host: httpbin
              trafficPolicy:
                connectionPool:
                  tcp:
                    maxConnections: 1
                  http:
                    http1MaxPendingRequests: 1
                    maxRequestsPerConnection: 1
                outlierDetection:
                  consecutive5xxErrors: 1
                  interval: 1s
                  baseEjectionTime: 3m
                  maxEjectionPercent: 100
            """);

        var policy = Yaml.Upstream(config, "httpbin.default.svc.cluster.local").TrafficPolicy!;
        Assert.Equal(new ConnectionPoolConfig { MaxConnections = 1, Http1MaxPendingRequests = 1, MaxRequestsPerConnection = 1 }, policy.ConnectionPool);
        Assert.Equal(new OutlierDetectionConfig { Consecutive5xxErrors = 1, Interval = TimeSpan.FromSeconds(1), BaseEjectionTime = TimeSpan.FromMinutes(3), MaxEjectionPercent = 100 }, policy.OutlierDetection);
    }

    /// <summary>istio.io tasks/traffic-management/egress/egress-tls-origination: TLS originated on port 80.</summary>
    [Fact]
    public void EgressTlsOrigination_SimpleOnPort80()
    {
        var result = IstioYaml.Load([("cnn.yaml", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: edition-cnn-com
            spec:
              hosts:
              - edition.cnn.com
              ports:
              - number: 80
                name: http-port
                protocol: HTTP
                targetPort: 443
              - number: 443
                name: https-port
                protocol: HTTPS
              resolution: DNS
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: edition-cnn-com
            spec:
              host: edition.cnn.com
              trafficPolicy:
                portLevelSettings:
                - port:
                    number: 80
                  tls:
                    mode: SIMPLE # initiates HTTPS when accessing edition.cnn.com
            """)], validateModel: false);

        Assert.Empty(result.Errors);
        var upstream = Yaml.Upstream(result.Config, "edition.cnn.com");
        var port80 = TrafficPolicyResolver.Resolve(upstream, subset: null, destinationPort: 80);
        Assert.Equal(UpstreamTlsMode.Simple, port80.Tls!.Mode);
        Assert.Null(port80.Tls.Sni);
        Assert.Equal(80, port80.PortLevelPort);
        Assert.Null(TrafficPolicyResolver.Resolve(upstream, subset: null, destinationPort: 443).Tls);
    }

    /// <summary>istio.io egress mutual TLS origination, with the certificate files of the file-mounted variant.</summary>
    [Fact]
    public void EgressMutualTlsOrigination_ClientCertificateKeyAndCa()
    {
        var result = IstioYaml.Load([("nginx.yaml", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: nginx, namespace: mesh-external}
            spec:
              hosts: [my-nginx.mesh-external.svc.cluster.local]
              ports: [{number: 80, name: http, protocol: HTTP, targetPort: 443}]
              resolution: DNS
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: originate-mtls-for-nginx
            spec:
              host: my-nginx.mesh-external.svc.cluster.local
              trafficPolicy:
                loadBalancer:
                  simple: ROUND_ROBIN
                portLevelSettings:
                - port:
                    number: 80
                  tls:
                    mode: MUTUAL
                    clientCertificate: /etc/istio/egressgateway-certs/tls.crt
                    privateKey: /etc/istio/egressgateway-certs/tls.key
                    caCertificates: /etc/istio/egressgateway-ca-certs/example.com.crt
                    sni: my-nginx.mesh-external.svc.cluster.local
            """)], validateModel: false);

        Assert.Empty(result.Errors);
        var policy = Yaml.Upstream(result.Config, "my-nginx.mesh-external.svc.cluster.local").TrafficPolicy!;
        Assert.Equal(LoadBalancerPolicy.RoundRobin, policy.LoadBalancer!.Policy);
        var tls = Assert.Single(policy.PortLevelSettings).Tls!;
        Assert.Equal(UpstreamTlsMode.Mutual, tls.Mode);
        Assert.Equal("/etc/istio/egressgateway-certs/tls.crt", tls.ClientCertificatePath);
        Assert.Equal("/etc/istio/egressgateway-certs/tls.key", tls.PrivateKeyPath);
        Assert.Equal("/etc/istio/egressgateway-ca-certs/example.com.crt", tls.CaCertificatesPath);
        Assert.Equal("my-nginx.mesh-external.svc.cluster.local", tls.Sni);
    }
}
