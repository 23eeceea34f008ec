using System.Diagnostics;
using System.Text.RegularExpressions;
using CsCheck;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Routing;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace Gateway.Middleware.HardeningTests.Fuzzing;

/// <summary>
/// Istio <c>HTTPMatchRequest.headers</c> / <c>withoutHeaders</c> (exact, prefix, RE2 regex) on random header
/// sets, compared with a plain reference: Envoy joins repeated headers with ',' and anchors regexes. Random RE2
/// patterns are either refused with a reason at load or compiled, and matching never throws; pathological patterns
/// answer in linear time, and a match that still runs past the budget (StringMatcher.RegexTimeout) counts as no match.
/// </summary>
public sealed class HeaderMatchFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Names = ["x-user", "X-User", "x-tier"];
    private static readonly Gen<string> Value = Gen.String[Gen.Char["ab,-. Aé1"], 0, 6];

    // HeaderDictionary drops a lone empty value; Kestrel keeps it, but that is the server's parse, not matching.
    private static readonly Gen<string> HeaderValue = Gen.String[Gen.Char["ab,-. Aé1"], 1, 6];

    private static readonly string[] RegexPieces =
    [
        "a", "b", "A", "é", ",", ".", ".*", ".+", "[ab]", "[^a]", "[a-", "\\d", "\\w", "\\", "(", ")", "(?:", "(?P<n>", "(?i)",
        "|", "*", "+", "?", "*?", "{2}", "{1,3}", "{,", "^", "$", "(?=a)", "\\1", "[", "]", "{", "}", "\\p{L}", "\\Q",
    ];

    private static readonly Gen<string> Pattern = Gen.Int[0, RegexPieces.Length - 1].Array[0, 8]
        .Select(indexes => string.Concat(Array.ConvertAll(indexes, i => RegexPieces[i])));

    private static readonly Gen<StringMatchConfig?> Match = Gen.Frequency(
        (3, Value.Select(v => (StringMatchConfig?)new StringMatchConfig(StringMatchKind.Exact, v))),
        (3, Value.Select(v => (StringMatchConfig?)new StringMatchConfig(StringMatchKind.Prefix, v))),
        (3, Pattern.Select(p => (StringMatchConfig?)new StringMatchConfig(StringMatchKind.Regex, p))),
        (1, Gen.Const((StringMatchConfig?)null)));

    private static readonly Gen<(string Name, string[] Values)[]> Headers = Gen.Select(Gen.Int[0, Names.Length - 1], HeaderValue.Array[1, 3])
        .Select((n, values) => (Names[n], values)).Array[0, 3];

    [Fact]
    public void Matches_RandomHeaderConditionsAndRequests_SameAsReferenceAndNeverThrows()
    {
        Gen.Select(Gen.Int[0, Names.Length - 1], Match, Gen.Bool, Headers).Sample(
            (nameIndex, match, without, headers) =>
            {
                var name = Names[nameIndex];
                if (match is { Kind: StringMatchKind.Regex } && StringMatcher.ValidateRegex(match.Value) is not null)
                {
                    // Refused at load with a reason (GatewayConfigValidator); never compiled.
                    return;
                }

                var condition = new NamedMatchConfig(name, match);
                var routeMatch = new RouteMatch(without ? new RouteMatchConfig { WithoutHeaders = [condition] } : new RouteMatchConfig { Headers = [condition] });
                var context = new DefaultHttpContext();
                foreach (var (header, values) in headers)
                {
                    context.Request.Headers.Append(header, values);
                }

                if (Reference(name, match, headers) is not { } expected)
                {
                    return;
                }

                Assert.Equal(without ? !expected : expected, routeMatch.Matches(context));
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            writeLine: output.WriteLine);
    }

    [Fact]
    public void ValidateRegex_RandomRe2Patterns_RefusedAtLoadWithReasonOrCompiledAndNeverThrows()
    {
        Gen.Select(Pattern, Gen.String[Gen.Char["ab(){}[]|*+?\\.^$é"], 0, 12]).Sample(
            (pattern, input) =>
            {
                var reason = StringMatcher.ValidateRegex(pattern);
                var errors = GatewayConfigValidator.Validate(RouteWithHeaderRegex(pattern));
                if (reason is not null)
                {
                    // The pattern is checked alone, not only inside the anchoring wrapper: "a)|(b" would
                    // otherwise compile as \A(?:a)|(b)\z, an unanchored alternation.
                    Assert.Contains(errors, e => e.Contains("headers", StringComparison.Ordinal) && e.Contains(reason, StringComparison.Ordinal));
                    return;
                }

                Assert.Empty(errors);
                var matcher = StringMatcher.Create(new StringMatchConfig(StringMatchKind.Regex, pattern));
                _ = matcher.Matches(input);
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            writeLine: output.WriteLine);
    }

    [Fact]
    public void Matches_NestedQuantifiersOnLongInputs_LinearTimeRightAnswer()
    {
        // Catastrophic for a backtracking engine ("ReDoS"); RE2 and .NET's NonBacktracking engine stay linear. The
        // second alternative matches, so an engine that gave up on the first would answer wrongly, not just slowly.
        string[] families = ["(a+)+b|a*!", "(a|aa)+b|a*!", "(a*)*b|a*!", "(?:a|a?)+b|a*!"];

        // Compiled once, as a configuration snapshot does; a cold engine builds its automaton on first use.
        var matchers = Array.ConvertAll(families, f => StringMatcher.Create(new StringMatchConfig(StringMatchKind.Regex, f)));
        var runs = 0;
        var overBudget = 0;
        Gen.Select(Gen.Int[0, families.Length - 1], Gen.Int[20, 16_000]).Sample(
            (family, length) =>
            {
                var input = new string('a', length) + "!";
                var clock = Stopwatch.StartNew();

                var matched = matchers[family].Matches(input);

                Interlocked.Increment(ref runs);
                if (!matched)
                {
                    // The only acceptable "no": the budget ran out (a descheduled thread on a loaded machine).
                    Assert.True(clock.Elapsed >= StringMatcher.RegexTimeout, $"{families[family]} on {length} a's and '!': no match after {clock.ElapsedMilliseconds} ms");
                    Interlocked.Increment(ref overBudget);
                }
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            writeLine: output.WriteLine);

        // A backtracking engine would need the whole budget on nearly every one of these inputs.
        output.WriteLine($"{overBudget} of {runs} over the {StringMatcher.RegexTimeout.TotalMilliseconds} ms budget");
        Assert.True(overBudget * 20 <= runs, $"{overBudget} of {runs} matches ran past the budget");
    }

    [Fact]
    public void Matches_RegexRunningPastItsBudget_NoMatchNotAnException()
    {
        // A pattern that matches a 10 MB header value, given a budget far too small for it: when the budget runs out
        // the answer is "no match", not an exception (which would be a 500). The same pattern and value with the
        // real budget match: the engine is linear, the budget only bounds pathological cases.
        var config = new StringMatchConfig(StringMatchKind.Regex, "(.*a){60}");
        var input = new string('a', 10_000_000);
        var starved = StringMatcher.Create(config, ignoreCase: false, regexTimeout: TimeSpan.FromTicks(1));
        var clock = Stopwatch.StartNew();

        var matched = starved.Matches(input);

        output.WriteLine($"answered {matched} in {clock.ElapsedMilliseconds} ms with a 1-tick budget");
        Assert.False(matched);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.ElapsedMilliseconds} ms");

        clock.Restart();
        var withBudget = StringMatcher.Create(config).Matches(input);
        output.WriteLine($"answered {withBudget} in {clock.ElapsedMilliseconds} ms with the {StringMatcher.RegexTimeout.TotalMilliseconds} ms budget");
        Assert.True(withBudget || clock.Elapsed >= StringMatcher.RegexTimeout, $"no match after only {clock.ElapsedMilliseconds} ms");
    }

    private static GatewayConfig RouteWithHeaderRegex(string pattern)
        => new(
            [new RouteConfig
            {
                Name = "r",
                Matches = [new RouteMatchConfig { Headers = [new NamedMatchConfig("x-user", new StringMatchConfig(StringMatchKind.Regex, pattern))] }],
                Destinations = [new("svc", 100)],
            }],
            [new UpstreamConfig { Name = "svc", Endpoints = [new("http://127.0.0.1:1")] }]);

    /// <summary>Envoy's rule, written plainly; null when the reference regex itself gives up (not comparable).</summary>
    private static bool? Reference(string name, StringMatchConfig? match, (string Name, string[] Values)[] headers)
    {
        var values = new List<string>();
        foreach (var (header, headerValues) in headers)
        {
            if (string.Equals(header, name, StringComparison.OrdinalIgnoreCase))
            {
                values.AddRange(headerValues);
            }
        }

        if (values.Count == 0)
        {
            return false;
        }

        var joined = string.Join(',', values);
        switch (match?.Kind)
        {
            case null:
                return true;
            case StringMatchKind.Exact:
                return string.Equals(joined, match.Value, StringComparison.Ordinal);
            case StringMatchKind.Prefix:
                return joined.StartsWith(match.Value, StringComparison.Ordinal);
            default:
                try
                {
                    // The backtracking engine: same language, different algorithm.
                    var pattern = match.Value.Replace("(?P<", "(?<", StringComparison.Ordinal);
                    return Regex.IsMatch(joined, @"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                }
                catch (RegexMatchTimeoutException)
                {
                    return null;
                }
        }
    }
}
