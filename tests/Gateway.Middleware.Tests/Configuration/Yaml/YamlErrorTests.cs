using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// Issue 4: validation collects every error, each naming file, document, kind namespace/name and field path
/// (<c>vs.yaml#2 VirtualService default/bad-regex: spec.http[0].match[0].uri.regex: invalid pattern ...</c>);
/// unknown kinds are skipped with a warning; unknown fields are errors.
/// </summary>
public sealed class YamlErrorTests
{
    private const string BadRegex = """
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

    [Fact]
    public void Load_ErrorsInSeveralFilesAndDocuments_AllCollectedWithFileDocumentResourceAndPath()
    {
        var result = IstioYaml.Load(
        [
            ("gw.yaml", Yaml.Gateway()),
            ("vs.yaml", Yaml.Service("svc") + "\n---\n" + BadRegex),
            ("more.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: typo, namespace: shop}
                spec:
                  hosts: [shop.example.com]
                  gateways: [default/gw]
                  http:
                  - route: [{destination: {host: cart}}]
                    timeout: soon
                    retires: {attempts: 3}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: cart, namespace: shop}
                spec:
                  hosts: [cart.shop.svc.cluster.local]
                  resolution: STATIC
                  ports: [{number: 0, name: http, protocol: HTTP}]
                  endpoints: [{address: localhost}]
                """),
        ]);

        Assert.Equal(
        [
            "vs.yaml#2 VirtualService default/bad-regex: spec.http[0].match[0].uri.regex: invalid pattern '([a-z': " + Reason("([a-z"),
            "more.yaml#1 VirtualService shop/typo: spec.http[0].timeout: invalid duration 'soon': expected a number and a unit (ns, us, ms, s, m, h), e.g. 1.5s, 100ms, 1m",
            "more.yaml#1 VirtualService shop/typo: spec.http[0].retires: unknown field",
            "more.yaml#2 ServiceEntry shop/cart: spec.ports[0].number: must be between 1 and 65535, got 0",
            "more.yaml#2 ServiceEntry shop/cart: spec.endpoints[0].address: 'localhost' is not an IP address (resolution STATIC); use resolution DNS for host names",
        ], result.Errors);
    }

    [Fact]
    public void Load_AliasAfterAFlowMapping_SyntaxErrorWithLineNotAnException()
    {
        // Found by Fuzzing/YamlLoaderFuzzTests: YamlDotNet's parser accepts "{...}*a" and its document model then
        // throws ArgumentException. It is invalid YAML, reported like any syntax error; the documents before it load.
        var result = Yaml.Load(Yaml.Service("reviews"), """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: {simple: LEAST_REQUEST}*a
            """);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("test.yaml#2: line ", error, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidRegex_ModelValidatorReportsTheSameMessageOnce()
    {
        // Conformance case 95-config-error: the message names the resource and the field.
        var result = Yaml.Load(Yaml.Gateway(), Yaml.Service("svc"), BadRegex);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("test.yaml#3 VirtualService default/bad-regex: spec.http[0].match[0].uri.regex: invalid pattern '([a-z'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RouteAndRedirectTogether_ModelValidatorNamesYamlResourceAndRule()
    {
        // Conformance case 96-config-error-conflict; Istio: "redirect and route are mutually exclusive".
        var result = Yaml.Load(Yaml.Gateway(), Yaml.Service("svc"), """
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
            """);

        Assert.Equal(["test.yaml#3 VirtualService default/both-actions: spec.http[0]: destinations, redirect and directResponse are mutually exclusive"], result.Errors);
    }

    [Fact]
    public void Load_WeightsNotAddingUpTo100_ModelValidatorError()
    {
        var result = Yaml.Load(Yaml.Gateway(), Yaml.Service("a"), Yaml.Service("b"), """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: split, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http:
              - route:
                - {destination: {host: a}, weight: 60}
                - {destination: {host: b}, weight: 30}
            """);

        Assert.Equal(["test.yaml#4 VirtualService default/split: spec.http[0]: total destination weight 90 != 100"], result.Errors);
    }

    [Fact]
    public void Compile_LoadedConfigWithoutModelValidation_CompilerMessagesCarryYamlSourceAndPath()
    {
        // The loader leaves rules the model validator knows to it: RouteConfig.Source/SourcePath make its
        // messages name the file, document, resource and rule.
        var result = IstioYaml.Load(
            [("vs.yaml", Yaml.Gateway() + "\n---\n" + Yaml.Service("a") + "\n---\n" + Yaml.Service("b") + "\n---\n" + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: split, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [gw]
                  http:
                  - route:
                    - {destination: {host: a}, weight: 60}
                    - {destination: {host: b, subset: v9}, weight: 30}
                    redirect: {uri: /x, redirectCode: 399}
                """)],
            validateModel: false);
        Assert.Empty(result.Errors);

        var exception = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigCompiler.Compile(result.Config));

        Assert.Equal(
        [
            "vs.yaml#4 VirtualService default/split: spec.http[0]: destinations, redirect and directResponse are mutually exclusive",
            "vs.yaml#4 VirtualService default/split: spec.http[0]: total destination weight 90 != 100",
            "vs.yaml#4 VirtualService default/split: spec.http[0].redirect.redirectCode: must be 301, 302, 303, 307 or 308, got 399",
        ], exception.Errors);
    }

    [Theory]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{route: [{destination: {host: a}}], timeout: 1s, retries: {attempts: 2, perTryTimout: 1s}}]}", "spec.http[0].retries.perTryTimout: unknown field")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{match: [{uri: {prefix: /}, header: {}}], route: [{destination: {host: a}}]}]}", "spec.http[0].match[0].header: unknown field")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{route: [{destination: {host: a, port: {number: http}}}]}]}", "spec.http[0].route[0].destination.port.number: expected an integer, got 'http'")]
    [InlineData("spec: {hosts: a, gateways: [gw]}", "spec.hosts: expected a list")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{match: [~], route: [{destination: {host: a}}]}]}", "spec.http[0].match[0]: must not be empty (null)")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{route: [{destination: {host: a}}], corsPolicy: {allowCredentials: yes-please}}]}", "spec.http[0].corsPolicy.allowCredentials: expected true or false, got 'yes-please'")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{route: [{destination: {host: a}}], fault: {abort: {httpStatus: 503, percentage: {value: 1, extra: 2}}}}]}", "spec.http[0].fault.abort.percentage.extra: unknown field")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{redirect: {uri: /x, derivePort: SOMETIMES}}]}", "spec.http[0].redirect.derivePort: must be one of FROM_PROTOCOL_DEFAULT, FROM_REQUEST_PORT, got 'SOMETIMES'")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{route: [{destination: {host: a}}], timeout: -1s}]}", "spec.http[0].timeout: must not be negative, got -1s")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{route: [{destination: {host: a}}], retries: {attempts: 1, perTryTimeout: 0s}}]}", "spec.http[0].retries.perTryTimeout: must be at least 1ms, got 0s")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{match: [{uri: {}}], route: [{destination: {host: a}}]}]}", "spec.http[0].match[0].uri: give one of exact, prefix or regex")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{match: [{uri: {exact: /a, prefix: /b}}], route: [{destination: {host: a}}]}]}", "spec.http[0].match[0].uri: give only one of exact, prefix or regex")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{route: [{destination: {subset: v1}}]}]}", "spec.http[0].route[0].destination.host: required")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{route: [{destination: {host: a}}], mirror: {host: a}, mirrorPercentage: {value: 150}}]}", "spec.http[0].mirrorPercentage.value: must be between 0 and 100, got 150")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{route: [{destination: {host: a}}], rewrite: {uriRegexRewrite: {match: '(', rewrite: /}}}]}", "spec.http[0].rewrite.uriRegexRewrite.match: invalid pattern '(':")]
    [InlineData("spec: {hosts: [a], gateways: [gw], http: [{directResponse: {body: {string: hi}}}]}", "spec.http[0].directResponse.status: required")]
    [InlineData("spec: {hosts: ['bad host'], gateways: [gw], http: [{route: [{destination: {host: a}}]}]}", "spec.hosts[0]: 'bad host' is not a valid host name")]
    public void Load_InvalidVirtualService_ErrorNamesTheField(string spec, string expected)
    {
        var result = Yaml.Load(Yaml.Gateway(), Yaml.Service("a"), $"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {"{"}name: vs, namespace: default{"}"}
            {spec}
            """);

        Assert.Contains(result.Errors, e => e.StartsWith("test.yaml#3 VirtualService default/vs: " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownKind_SkippedWithWarning()
    {
        var result = Yaml.Load(Yaml.Gateway(), """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: istio-system}
            spec: {egress: [{hosts: ["./*"]}]}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {a: b}
            """);

        Assert.Empty(result.Errors);
        Assert.Contains("test.yaml#2 Sidecar istio-system/default: skipped: the gateway does not read Sidecar (networking.istio.io/v1)", result.Warnings);
        Assert.Contains("test.yaml#3 ConfigMap default/settings: skipped: the gateway does not read ConfigMap (v1)", result.Warnings);
    }

    [Fact]
    public void Load_UnknownTopLevelField_Error()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default, lables: {a: b}}
            spec: {servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}
            specs: {}
            """);

        Assert.Equal(
        [
            "test.yaml#1 Gateway default/gw: metadata.lables: unknown field",
            "test.yaml#1 Gateway default/gw: specs: unknown field",
        ], result.Errors);
    }

    [Fact]
    public void Load_DuplicateResourceName_ErrorNamesBothDocuments()
    {
        var result = IstioYaml.Load([("a.yaml", Yaml.Service("svc")), ("b.yaml", Yaml.Service("svc"))]);

        Assert.Equal(["b.yaml#1 ServiceEntry default/svc: metadata.name: duplicate ServiceEntry default/svc (first declared in a.yaml#1)"], result.Errors);
    }

    [Fact]
    public void Load_SameNameDifferentKindOrNamespace_NoError()
    {
        var result = Yaml.Load(Yaml.Service("svc"), Yaml.Service("svc", ns: "other"), """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: svc, namespace: default}
            spec: {host: svc}
            """);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Load_SyntaxError_ReportsFileDocumentAndLineAndKeepsEarlierDocuments()
    {
        var result = IstioYaml.Load([("broken.yaml", Yaml.Service("svc") + "\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: default\nspec: [[[ this is not yaml\n")]);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("broken.yaml#2: line ", error, StringComparison.Ordinal);
        Assert.Single(result.Config.Upstreams);
    }

    [Theory]
    [InlineData("kind: VirtualService\nmetadata: {name: x}", "test.yaml#1: apiVersion and kind are required")]
    [InlineData("- just\n- a list", "test.yaml#1: expected a resource (a mapping with apiVersion and kind)")]
    [InlineData("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {namespace: x}", "test.yaml#1 VirtualService x/: metadata.name: required")]
    public void Load_MalformedEnvelope_Error(string document, string expected)
        => Assert.Equal([expected], Yaml.Load(document).Errors);

    [Fact]
    public void Load_EmptyDocuments_Ignored()
    {
        var result = IstioYaml.Load([("empty.yaml", "---\n# only a comment\n---\n")]);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
    }

    private static string Reason(string pattern) => Gateway.Middleware.Routing.StringMatcher.ValidateRegex(pattern)!;
}
