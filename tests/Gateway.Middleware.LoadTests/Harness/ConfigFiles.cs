using System.Globalization;
namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>The configuration files of the targets that are not .NET code: Istio YAML, nginx, haproxy.</summary>
internal static class ConfigFiles
{
    /// <summary>
    /// What the IstioGateway host loads: a Gateway on <paramref name="port"/>, a VirtualService matching
    /// <see cref="Bench.Host"/> and the <see cref="Bench.Header"/> header, a ServiceEntry for the upstream; with
    /// <paramref name="jwks"/>, a RequestAuthentication with that inline JWKS and an AuthorizationPolicy
    /// requiring a request principal.
    /// </summary>
    public static string IstioYaml(int port, int upstreamPort, string? jwks) => IstioYaml(port, upstreamPort, jwks, fillerRules: 0, generation: 0);

    /// <summary>
    /// The same, with <paramref name="fillerRules"/> path rules (<c>prefix: /gNNN-svcNNNN</c>, to the same upstream) before
    /// the bench rule: a 1,000-rule configuration whose text changes with <paramref name="generation"/> (reload measurement).
    /// </summary>
    public static string IstioYaml(int port, int upstreamPort, string? jwks, int fillerRules, int generation)
    {
        var yaml = $"""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {"{"}name: bench-gateway, namespace: default{"}"}
            spec:
              selector: {"{"}istio: ingressgateway{"}"}
              servers:
              - port: {"{"}number: {port}, name: http, protocol: HTTP{"}"}
                hosts: ["*"]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {"{"}name: bench, namespace: default{"}"}
            spec:
              hosts: [{Bench.Host}]
              gateways: [bench-gateway]
              http:
            {Filler(fillerRules, generation)}  - match:
                - headers:
                    {Bench.Header}: {"{"}exact: "{Bench.HeaderValue}"{"}"}
                route:
                - destination: {"{"}host: upstream.bench.local, port: {"{"}number: 8080{"}"}{"}"}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {"{"}name: upstream, namespace: default{"}"}
            spec:
              hosts: [upstream.bench.local]
              location: MESH_INTERNAL
              resolution: STATIC
              ports: [{"{"}number: 8080, name: http, protocol: HTTP{"}"}]
              endpoints: [{"{"}address: 127.0.0.1, ports: {"{"}http: {upstreamPort}{"}"}{"}"}]

            """;
        if (jwks is not null)
        {
            yaml += $"""
                ---
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {"{"}name: jwt, namespace: istio-system{"}"}
                spec:
                  selector: {"{"}matchLabels: {"{"}istio: ingressgateway{"}"}{"}"}
                  jwtRules:
                  - issuer: {Bench.Issuer}
                    audiences: [{Bench.Audience}]
                    jwks: '{jwks}'
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {"{"}name: require-jwt, namespace: istio-system{"}"}
                spec:
                  selector: {"{"}matchLabels: {"{"}istio: ingressgateway{"}"}{"}"}
                  action: ALLOW
                  rules:
                  - from: [{"{"}source: {"{"}requestPrincipals: ["*"]{"}"}{"}"}]

                """;
        }

        return yaml;
    }

    /// <summary>nginx: <c>return 200</c> on <paramref name="directPort"/>, a keep-alive proxy with the same host + header match on <paramref name="proxyPort"/>.</summary>
    public static string Nginx(string dir, int directPort, int proxyPort, int upstreamPort) => $$"""
        daemon off;
        worker_processes 2;
        pid {{dir}}/nginx.pid;
        error_log {{dir}}/nginx-error.log warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path {{dir}}/nginx-body;
          proxy_temp_path {{dir}}/nginx-proxy;
          fastcgi_temp_path {{dir}}/nginx-fastcgi;
          uwsgi_temp_path {{dir}}/nginx-uwsgi;
          scgi_temp_path {{dir}}/nginx-scgi;
          upstream kestrel { server 127.0.0.1:{{upstreamPort}}; keepalive 64; }
          server {
            listen 127.0.0.1:{{directPort}};
            location / { default_type text/plain; return 200 "{{UpstreamAppBody()}}"; }
          }
          server {
            listen 127.0.0.1:{{proxyPort}};
            server_name {{Bench.Host}};
            location / {
              if ($http_x_bench != "{{Bench.HeaderValue}}") { return 404; }
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_set_header Host $host;
              proxy_pass http://kestrel;
            }
          }
        }
        """;

    /// <summary>haproxy: the same host + header match, HTTP/1.1 on <paramref name="port"/>, h2c in and out on <paramref name="h2Port"/>.</summary>
    public static string Haproxy(int port, int h2Port, int upstreamPort, int upstreamH2Port) => $"""
        global
          maxconn 4096
          nbthread 2
        defaults
          mode http
          timeout connect 5s
          timeout client 60s
          timeout server 60s
          http-reuse always
        frontend plain
          bind 127.0.0.1:{port}
          http-request deny deny_status 404 unless {"{"} hdr(host) -i {Bench.Host} {"}"} {"{"} req.hdr({Bench.Header}) -m str {Bench.HeaderValue} {"}"}
          default_backend upstream
        frontend h2c
          bind 127.0.0.1:{h2Port} proto h2
          http-request deny deny_status 404 unless {"{"} hdr(host) -i {Bench.H2Host} {"}"} {"{"} req.hdr({Bench.Header}) -m str {Bench.HeaderValue} {"}"}
          default_backend upstream-h2
        backend upstream
          server kestrel 127.0.0.1:{upstreamPort}
        backend upstream-h2
          server kestrel 127.0.0.1:{upstreamH2Port} proto h2

        """;

    private static string UpstreamAppBody() => LoadTests.Apps.UpstreamApp.BodyText.Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Filler(int rules, int generation)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < rules; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - match:\n    - uri: {{prefix: /g{generation:D3}-svc{i:D4}}}\n    route:\n    - destination: {{host: upstream.bench.local, port: {{number: 8080}}}}\n");
        }

        return text.ToString();
    }
}
