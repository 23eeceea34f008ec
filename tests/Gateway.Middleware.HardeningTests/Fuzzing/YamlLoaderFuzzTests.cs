using System.Diagnostics;
using CsCheck;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;
using Xunit.Abstractions;

namespace Gateway.Middleware.HardeningTests.Fuzzing;

/// <summary>
/// Mutated Istio / Gateway API YAML (values swapped for hostile scalars, lines dropped, duplicated, re-indented,
/// truncated, keys renamed, YAML syntax injected) through the loader and, when it finds nothing wrong, through the
/// validator and compiler that build the serving snapshot. The only failure allowed is the documented one: errors
/// naming the file, document, resource and field (<see cref="YamlLoadResult.Errors"/>, then
/// <see cref="GatewayConfigurationException"/>); never another exception, never a hang.
/// </summary>
public sealed class YamlLoaderFuzzTests(ITestOutputHelper output)
{
    private const string FileName = "fuzz.yaml";

    private static readonly string[] Scalars =
    [
        "", "~", "null", "true", "-1", "0", "65536", "99999999999999999999", "1e309", "-0.0", "NaN", ".inf", "0x1F", "1.5",
        "\"\"", "''", "[]", "{}", "[a, b]", "{a: 1}", "*anchor", "&anchor x", "!!binary AAAA", "!!int x", "|", ">",
        "\"\\u0000\"", "\"\\ud800\"", "é", "💥", "(", "[", "{", "*", "*.", "/", "//", "..", "%00", "-1s", "1h1h", "9999999h",
        "0s", "1ms", "999999999999999999999s", "5xx", "UNKNOWN_ENUM", "MUTUAL", "ISTIO_MUTUAL", "spiffe://x", "10.0.0.0/33",
        "::1/129", "/etc/passwd", "http://169.254.169.254/", "request.auth.claims[", "\"(?P<n>a)\\\\1\"", new string('a', 3000),
    ];

    private static readonly string[] Keys =
    [
        "match", "route", "destination", "host", "hosts", "weight", "subset", "port", "number", "name", "regex", "exact", "prefix",
        "timeout", "retries", "attempts", "perTryTimeout", "headers", "set", "add", "remove", "rewrite", "uri", "redirect", "fault",
        "delay", "abort", "percentage", "value", "mirror", "corsPolicy", "tls", "mode", "jwtRules", "issuer", "jwks", "rules", "from",
        "to", "when", "action", "spec", "metadata", "kind", "apiVersion", "servers", "gateways", "http", "subsets", "labels",
        "trafficPolicy", "endpoints", "ports", "listeners", "backendRefs", "matches", "filters", "parentRefs", "type", "path", "x-unknown",
    ];

    private static readonly string[] Injections = [":", ": ", "- ", "-", "[", "]", "{", "}", "\"", "'", "&a ", "*a", "!", "#", "|", ">", "\t", "%", "@", "`", "---\n", "\n", "\u0000", "\r"];

    [Fact]
    public void Corpus_EachFileLoadsAndCompilesWithoutErrors()
    {
        // Mutations start from configurations that are valid, so the errors below are the mutations' doing.
        foreach (var yaml in YamlCorpus.Files)
        {
            var result = IstioYaml.Load([(FileName, yaml)]);

            Assert.True(result.Errors.Count == 0, string.Join(Environment.NewLine, result.Errors));
            using var provider = new GatewayConfigProvider(result.Config);
        }
    }

    [Fact]
    public void Load_MutatedIstioAndGatewayApiYaml_OnlyDocumentedErrorsNamingTheFile()
    {
        Mutated.Sample(
            yaml =>
            {
                var clock = Stopwatch.StartNew();
                var result = IstioYaml.Load([(FileName, yaml)]);

                foreach (var error in result.Errors)
                {
                    // file#document [Kind namespace/name: field.path]: message
                    Assert.StartsWith(FileName + "#", error, StringComparison.Ordinal);
                }

                if (result.Errors.Count == 0)
                {
                    try
                    {
                        using var provider = new GatewayConfigProvider(result.Config);
                    }
                    catch (GatewayConfigurationException ex)
                    {
                        Assert.NotEmpty(ex.Errors);
                    }
                }

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"loading took {clock.ElapsedMilliseconds} ms");
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            writeLine: output.WriteLine);
    }

    private static Gen<string> Mutated { get; } = Gen.Select(
            Gen.Int[0, YamlCorpus.Files.Length - 1],
            Gen.Select(Gen.Int[0, 7], Gen.Int[0, 100_000], Gen.Int[0, 100_000]).Array[1, 4])
        .Select((file, mutations) =>
        {
            var lines = new List<string>(YamlCorpus.Files[file].Split('\n'));
            foreach (var (kind, a, b) in mutations)
            {
                Mutate(lines, kind, a, b);
            }

            return string.Join('\n', lines);
        });

    private static void Mutate(List<string> lines, int kind, int a, int b)
    {
        if (lines.Count == 0)
        {
            lines.Add(Injections[a % Injections.Length]);
            return;
        }

        var at = a % lines.Count;
        var line = lines[at];
        switch (kind)
        {
            case 0:
            case 1:
                // A value replaced by a hostile scalar: after "key: ", or a list item.
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                var dash = line.IndexOf("- ", StringComparison.Ordinal);
                var cut = colon >= 0 ? colon + 2 : dash >= 0 ? dash + 2 : line.Length;
                lines[at] = line[..cut] + Scalars[b % Scalars.Length];
                break;
            case 2:
                lines.RemoveAt(at);
                break;
            case 3:
                lines.Insert(at, line);
                break;
            case 4:
                var other = b % lines.Count;
                (lines[at], lines[other]) = (lines[other], line);
                break;
            case 5:
                lines[at] = b % 2 == 0 ? "  " + line : line.TrimStart();
                break;
            case 6:
                // A key renamed to another known (or unknown) key.
                var keyEnd = line.IndexOf(':', StringComparison.Ordinal);
                var keyStart = line.Length - line.TrimStart(' ', '-').Length;
                if (keyEnd > keyStart)
                {
                    lines[at] = line[..keyStart] + Keys[b % Keys.Length] + line[keyEnd..];
                }

                break;
            default:
                // Raw syntax injected mid-line, or the file truncated there.
                var position = b % (line.Length + 1);
                if (b % 5 == 0)
                {
                    lines.RemoveRange(at + 1, lines.Count - at - 1);
                    lines[at] = line[..position];
                }
                else
                {
                    lines[at] = line[..position] + Injections[b % Injections.Length] + line[position..];
                }

                break;
        }
    }
}
