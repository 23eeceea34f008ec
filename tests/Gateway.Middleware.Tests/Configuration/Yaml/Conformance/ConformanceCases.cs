namespace Gateway.Middleware.Tests.Configuration.Yaml.Conformance;

/// <summary>
/// The <c>config</c> of the conformance kit's cases (<c>../shared/conformance/cases</c>), verbatim except the
/// <c>${PORT:name}</c> placeholders, given fixed numbers: the gateway listens on 8080, upstreams on 90xx.
/// </summary>
internal static class ConformanceCases
{
    /// <summary><c>10-istio-hosts.yaml</c>.</summary>
    public const string IstioHosts = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: httpbin-gateway, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["httpbin.example.com", "*.wild.example.com", "unbound.example.com"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: httpbin, namespace: default}
        spec:
          hosts: ["httpbin.example.com"]
          gateways: ["httpbin-gateway"]
          http:
          - match:
            - uri: {prefix: /nowhere}
            route:
            - destination: {host: missing.default.svc.cluster.local}
          - match:
            - uri: {prefix: /status}
            - uri: {prefix: /delay}
            route:
            - destination: {host: httpbin.default.svc.cluster.local, port: {number: 8000}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: wild, namespace: default}
        spec:
          hosts: ["*.wild.example.com"]
          gateways: ["default/httpbin-gateway"]
          http:
          - route:
            - destination: {host: wild.default.svc.cluster.local}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: not-bound, namespace: default}
        spec:
          hosts: ["other.example.com"]
          http:
          - route:
            - destination: {host: other.default.svc.cluster.local}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: httpbin, namespace: default}
        spec:
          hosts: ["httpbin.default.svc.cluster.local"]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 8000, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 9001}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: wild, namespace: default}
        spec:
          hosts: ["wild.default.svc.cluster.local"]
          resolution: STATIC
          ports: [{number: 80, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 9002}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: other, namespace: default}
        spec:
          hosts: ["other.default.svc.cluster.local"]
          resolution: STATIC
          ports: [{number: 80, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 9003}}]
        """;

    /// <summary><c>40-istio-traffic-shifting.yaml</c>.</summary>
    public const string IstioTrafficShifting = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["shift.example.com"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: shift, namespace: default}
        spec:
          hosts: ["shift.example.com"]
          gateways: [gw]
          http:
          - match: [{uri: {prefix: /half}}]
            route:
            - {destination: {host: reviews, subset: v1}, weight: 50}
            - {destination: {host: reviews, subset: v3}, weight: 50}
          - match: [{uri: {prefix: /canary}}]
            route:
            - {destination: {host: reviews, subset: v1}, weight: 80}
            - {destination: {host: reviews, subset: v2}, weight: 20}
          - match: [{uri: {prefix: /all}}]
            route:
            - {destination: {host: reviews, subset: v2}, weight: 100}
            - {destination: {host: reviews, subset: v3}, weight: 0}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews.default.svc.cluster.local
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
          - {name: v3, labels: {version: v3}}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: ["reviews.default.svc.cluster.local"]
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints:
          - {address: 127.0.0.1, ports: {http: 9011}, labels: {version: v1}}
          - {address: 127.0.0.1, ports: {http: 9012}, labels: {version: v2}}
          - {address: 127.0.0.1, ports: {http: 9013}, labels: {version: v3}}
        """;

    /// <summary><c>80-gatewayapi-matching.yaml</c>.</summary>
    public const string GatewayApiMatching = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: same-namespace, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: embedded
          listeners:
          - {name: http, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: header-matching, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
          hostnames: [headers.example.com]
          rules:
          - matches: [{headers: [{name: version, value: one}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{headers: [{name: version, value: two}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{headers: [{name: version, value: two}, {name: color, value: orange}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{headers: [{name: color, value: blue}]}, {headers: [{name: color, value: green}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{headers: [{name: color, value: red}]}, {headers: [{name: color, value: yellow}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: path-match-order, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
          hostnames: [paths.example.com]
          rules:
          - matches: [{path: {type: Exact, value: /match}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: Exact, value: /match/exact}}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{path: {type: Exact, value: /match/exact/one}}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /match/}}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /match/prefix/}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /match/prefix/one}}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: matching, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
          hostnames: [matching.example.com]
          rules:
          - matches: [{path: {type: PathPrefix, value: /}}, {headers: [{name: version, value: one}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /v2}}, {headers: [{name: version, value: two}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: exact-path, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
          hostnames: [exact.example.com]
          rules:
          - matches: [{path: {type: Exact, value: /one}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: Exact, value: /two}}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: query-param-matching, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
          hostnames: [query.example.com]
          rules:
          - matches: [{queryParams: [{name: animal, value: whale}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{queryParams: [{name: animal, value: dolphin}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches:
            - queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]
            - queryParams: [{name: ANIMAL, value: Whale}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /path1}, queryParams: [{name: animal, value: whale}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{headers: [{name: version, value: one}], queryParams: [{name: animal, value: whale}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /path2}, headers: [{name: version, value: two}], queryParams: [{name: animal, value: whale}]}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          - matches:
            - {path: {type: PathPrefix, value: /path3}, queryParams: [{name: animal, value: shark}]}
            - {path: {type: PathPrefix, value: /path4}, headers: [{name: version, value: three}], queryParams: [{name: animal, value: kraken}]}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /path5}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{queryParams: [{name: animal, value: hydra}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{headers: [{name: version, value: four}]}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: method-matching, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
          hostnames: [method.example.com]
          rules:
          - matches: [{method: POST}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{method: GET}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /path5}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{method: PATCH}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{headers: [{name: version, value: four}]}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: infra-backends, namespace: gateway-conformance-infra}
        spec:
          hosts: [infra-backend-v1.gateway-conformance-infra.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 8080, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 9021}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: infra-backend-v2, namespace: gateway-conformance-infra}
        spec:
          hosts: [infra-backend-v2.gateway-conformance-infra.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 8080, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 9022}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: infra-backend-v3, namespace: gateway-conformance-infra}
        spec:
          hosts: [infra-backend-v3.gateway-conformance-infra.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 8080, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 9023}}]
        """;

    /// <summary><c>95-config-error.yaml</c>.</summary>
    public const string ConfigErrorBadRegex = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: bad-regex, namespace: default}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - match: [{uri: {regex: "([a-z"}}]
            route: [{destination: {host: svc}}]
        """;

    /// <summary><c>96-config-error-conflict.yaml</c>.</summary>
    public const string ConfigErrorRouteAndRedirect = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: both-actions, namespace: default}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - match: [{uri: {prefix: /}}]
            redirect: {uri: /elsewhere}
            route: [{destination: {host: svc}}]
        """;

    /// <summary><c>97-reload.yaml</c>.</summary>
    public const string HotReloadBase = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: default}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - route: [{destination: {host: v1.default.svc.cluster.local}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: se, namespace: default}
        spec:
          hosts: [v1.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 80, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 9011}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: se2, namespace: default}
        spec:
          hosts: [v2.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 80, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 9012}}]
        """;

    /// <summary><c>97-reload.yaml (first reload)</c>.</summary>
    public const string HotReloadValid = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: default}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - route: [{destination: {host: v2.default.svc.cluster.local}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: se2, namespace: default}
        spec:
          hosts: [v2.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 80, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 9012}}]
        """;

    /// <summary><c>97-reload.yaml (second reload)</c>.</summary>
    public const string HotReloadBroken = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: default
        spec: [[[ this is not yaml
        """;
}
