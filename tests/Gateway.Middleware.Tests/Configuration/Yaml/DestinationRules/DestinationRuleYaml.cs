using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml.DestinationRules;

/// <summary>Shorthands for DestinationRule tests: a ServiceEntry <c>svc</c> and a rule for it.</summary>
internal static class DestinationRuleYaml
{
    public const string Host = "svc.default.svc.cluster.local";

    /// <summary>A DestinationRule <c>default/{name}</c> for <c>svc</c> whose <c>spec</c> continues with <paramref name="spec"/> (indented two spaces).</summary>
    public static string Rule(string spec, string name = "svc", string host = "svc") => $$"""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: {{name}}, namespace: default}
        spec:
          host: {{host}}
          {{Indent(spec)}}
        """;

    /// <summary>Loads the ServiceEntry <c>svc</c> and the rule's <c>spec</c> body, without model validation (TLS files need not exist).</summary>
    public static YamlLoadResult Load(string spec) => IstioYaml.Load([("test.yaml", Yaml.Service("svc") + "\n---\n" + Rule(spec))], validateModel: false);

    /// <summary>The upstream <c>svc</c> after loading <paramref name="spec"/> with full validation, asserting no error.</summary>
    public static UpstreamConfig Upstream(string spec) => Yaml.Upstream(Yaml.Config(Yaml.Service("svc"), Rule(spec)), Host);

    /// <summary>The top-level policy of <c>svc</c> after loading <paramref name="spec"/> (full validation, no error).</summary>
    public static TrafficPolicyConfig Policy(string spec) => Upstream(spec).TrafficPolicy!;

    /// <summary>Errors of a load with full validation.</summary>
    public static IReadOnlyList<string> Errors(string spec) => Yaml.Load(Yaml.Service("svc"), Rule(spec)).Errors;

    /// <summary>Warnings of a load (asserting no error).</summary>
    public static IReadOnlyList<string> Warnings(string spec)
    {
        var result = Yaml.Load(Yaml.Service("svc"), Rule(spec));
        Assert.Empty(result.Errors);
        return result.Warnings;
    }

    private static string Indent(string text) => string.Join("\n  ", text.ReplaceLineEndings("\n").Split('\n'));
}
