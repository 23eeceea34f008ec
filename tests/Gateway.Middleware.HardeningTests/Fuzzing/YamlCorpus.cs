namespace Gateway.Middleware.HardeningTests.Fuzzing;

/// <summary>
/// Valid Istio and Gateway API resources the YAML fuzzer mutates: each kind the loader reads, with most fields set,
/// so mutations land on every part of the schema.
/// </summary>
internal static class YamlCorpus
{
    public static readonly string[] Files =
    [
        """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["*/bookinfo.example.com", "default/*.example.org"]
            tls: {httpsRedirect: false}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: ["bookinfo.example.com", "*.example.org"]
          gateways: [istio-system/gw]
          http:
          - name: jason
            match:
            - uri: {prefix: /reviews}
              headers:
                end-user: {exact: jason}
                x-tier: {regex: "gold|silver"}
              queryParams:
                v: {prefix: "2"}
              method: {exact: GET}
              ignoreUriCase: true
              withoutHeaders:
                x-debug: {}
            route:
            - destination: {host: reviews, subset: v2, port: {number: 9080}}
              weight: 80
              headers:
                request:
                  set: {x-a: "1"}
                  add: {x-b: "2"}
                  remove: [x-c]
            - destination: {host: reviews, subset: v1}
              weight: 20
            timeout: 2s
            retries: {attempts: 3, perTryTimeout: 500ms, retryOn: "5xx,reset,connect-failure"}
            rewrite: {uri: /v2/reviews, authority: reviews.internal}
            fault:
              delay: {percentage: {value: 0.5}, fixedDelay: 100ms}
              abort: {percentage: {value: 1.5}, httpStatus: 503}
            mirror: {host: reviews, subset: v1}
            mirrorPercentage: {value: 10}
            corsPolicy:
              allowOrigins: [{exact: "https://example.com"}, {regex: "https://.*\\.example\\.org"}]
              allowMethods: [GET, POST]
              allowHeaders: [authorization]
              maxAge: 24h
              allowCredentials: true
          - match: [{uri: {regex: "/ratings/[0-9]+"}}]
            redirect: {uri: /v1/ratings, authority: ratings.example.com, redirectCode: 302}
          - match: [{uri: {exact: /health}}]
            directResponse: {status: 200, body: {string: ok}}
          - route: [{destination: {host: reviews}}]
        """,
        """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews
          trafficPolicy:
            loadBalancer: {simple: LEAST_REQUEST}
            connectionPool:
              tcp: {maxConnections: 100, connectTimeout: 1s}
              http: {http1MaxPendingRequests: 10, http2MaxRequests: 100, maxRequestsPerConnection: 5, maxRetries: 3, idleTimeout: 30s}
            outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50}
            tls: {mode: SIMPLE, sni: reviews.internal}
            portLevelSettings:
            - port: {number: 9080}
              loadBalancer: {consistentHash: {httpHeaderName: x-user}}
          subsets:
          - name: v1
            labels: {version: v1}
          - name: v2
            labels: {version: v2}
            trafficPolicy:
              loadBalancer: {simple: ROUND_ROBIN}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints:
          - {address: 127.0.0.1, ports: {http: 9081}, labels: {version: v1}, weight: 2}
          - {address: 127.0.0.1, ports: {http: 9082}, labels: {version: v2}}
        """,
        """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: jwt, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          jwtRules:
          - issuer: https://accounts.example.com
            jwks: '{"keys":[{"kty":"RSA","kid":"k1","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}]}'
            audiences: [bookstore]
            fromHeaders: [{name: x-jwt, prefix: "Bearer "}]
            fromParams: [token]
            forwardOriginalToken: true
            outputClaimToHeaders: [{header: x-sub, claim: sub}]
            outputPayloadToHeader: x-payload
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: admin, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: DENY
          rules:
          - from: [{source: {notRequestPrincipals: ["*"], ipBlocks: ["10.0.0.0/8"]}}]
            to: [{operation: {paths: ["/admin/*", "*/secret"], methods: [POST], hosts: ["admin.example.com"], ports: ["8080"]}}]
            when: [{key: "request.auth.claims[groups]", values: [admins]}, {key: "request.headers[x-env]", notValues: [prod]}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow-get, namespace: istio-system}
        spec:
          action: ALLOW
          rules: [{to: [{operation: {methods: [GET, HEAD]}}]}]
        """,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: istio
          listeners:
          - name: http
            port: 8081
            protocol: HTTP
            hostname: "*.example.com"
            allowedRoutes: {namespaces: {from: Same}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: books, namespace: default, creationTimestamp: "2024-01-02T03:04:05Z"}
        spec:
          parentRefs: [{name: gw, sectionName: http}]
          hostnames: [books.example.com]
          rules:
          - matches:
            - path: {type: PathPrefix, value: /books}
              headers: [{name: x-v, value: "2", type: Exact}, {name: x-r, value: "^a.*", type: RegularExpression}]
              queryParams: [{name: q, value: x}]
              method: GET
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: x-a, value: "1"}], add: [{name: x-b, value: "2"}], remove: [x-c]}
            - type: URLRewrite
              urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2/books}}
            backendRefs: [{name: books, port: 9080, weight: 90}, {name: books-v2, port: 9080, weight: 10}]
            timeouts: {request: 5s, backendRequest: 2s}
          - matches: [{path: {type: Exact, value: /old}}]
            filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301, path: {type: ReplaceFullPath, replaceFullPath: /new}}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: books, namespace: default}
        spec:
          hosts: [books.default.svc.cluster.local, books-v2.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: 9083}}]
        """,
    ];
}
