using CsCheck;
using Gateway.Middleware.Authorization;
using Xunit.Abstractions;

namespace Gateway.Middleware.HardeningTests.Fuzzing;

/// <summary>
/// <see cref="PathNormalizer"/> on random raw paths built from the pieces that bypass path policies (issue #10:
/// <c>//</c>, <c>..</c>, <c>%2e</c>, <c>%2f</c>, <c>%5c</c>, <c>\</c>, <c>;params</c>, double and overlong
/// encodings, <c>%00</c>): it never throws, refuses exactly the malformed ones (400) and returns a path that is
/// already normal, so what is authorized cannot be re-interpreted later (docs/paths.md).
/// </summary>
public sealed class PathNormalizerFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Pieces =
    [
        "/", "/", "/", "//", ".", "..", "a", "b", "api", "%2e", "%2E", "%2e%2e", ".%2e", "%2f", "%2F", "%5c", "%5C",
        "\\", "%25", "%252f", "%252e", "%41", "%7e", "~", ";", ";x=1", "%3b", "%00", "%0", "%", "%g1", "%zz",
        "%c0%ae", "%c0%af", "%e0%80%ae", "%c3%a9", "%C3%A9", "%e2%80%a8", "%ff", "%80", "%f0%9f%98%80", "\u00e9",
        "\ud83d\ude00", " ", "%20", "+", ":", "@", "!", "$", "&", "'", "(", "*", ",", "=", "%3f", "%23", "\t",
    ];

    private static readonly Gen<string> RawPath = Gen.Int[0, Pieces.Length - 1].Array[0, 24]
        .Select(indexes => "/" + string.Concat(Array.ConvertAll(indexes, i => Pieces[i])));

    private static readonly Gen<PathNormalization> Mode = Gen.Enum<PathNormalization>();

    [Fact]
    public void Normalize_RandomRawPaths_NeverThrowsRejectsExactlyMalformedEscapesAndResultIsNormal()
    {
        Gen.Select(RawPath, Mode).Sample(
            (raw, mode) =>
            {
                var result = PathNormalizer.Normalize(raw, mode, out var normalized);
                var why = Check(raw, mode, result, normalized);
                Assert.True(why is null, $"{mode} '{raw}' -> {result} '{normalized}': {why}");
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            writeLine: output.WriteLine);
    }

    [Fact]
    public void Normalize_LongRandomPaths_NeverThrowsBeyondTheStackBuffer()
    {
        // Paths longer than the 256-char stack buffer take the pooled-array branch.
        var longPath = Gen.Int[0, Pieces.Length - 1].Array[100, 400].Select(indexes => "/" + string.Concat(Array.ConvertAll(indexes, i => Pieces[i])));
        Gen.Select(longPath, Mode).Sample(
            (raw, mode) =>
            {
                var result = PathNormalizer.Normalize(raw, mode, out var normalized, always: true);
                var why = Check(raw, mode, result, normalized, always: true);
                Assert.True(why is null, $"{mode} '{raw}' -> {result} '{normalized}': {why}");
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            writeLine: output.WriteLine);
    }

    /// <summary>Why the outcome is wrong, or null.</summary>
    private static string? Check(string raw, PathNormalization mode, PathNormalizationResult result, string? normalized, bool always = false)
    {
        var malformed = HasNulOrMalformedEscape(raw);
        if (result == PathNormalizationResult.Invalid || malformed)
        {
            // Only %00 and broken escapes are refused, in every mode.
            return result == PathNormalizationResult.Invalid && malformed ? null : "refused iff %00 or a malformed escape";
        }

        if (mode == PathNormalization.None)
        {
            return always || result == PathNormalizationResult.Unchanged ? null : "mode None changed the path";
        }

        var path = result == PathNormalizationResult.Normalized ? normalized! : raw;
        return WhyNotNormal(path, mode) ?? (IsIdempotent(path, mode) ? null : "normalizing the result again changes it");
    }

    /// <summary>The reference for what is refused: <c>%00</c>, or <c>%</c> not followed by two hex digits.</summary>
    private static bool HasNulOrMalformedEscape(string raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '%')
            {
                continue;
            }

            if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
            {
                return true;
            }

            if (raw[i + 1] == '0' && raw[i + 2] == '0')
            {
                return true;
            }
        }

        return false;
    }

    private static string? WhyNotNormal(string path, PathNormalization mode)
    {
        if (path.Length == 0 || path[0] != '/' || path.Contains('\\', StringComparison.Ordinal))
        {
            return "not absolute, or a backslash left";
        }

        if (mode >= PathNormalization.MergeSlashes && path.Contains("//", StringComparison.Ordinal))
        {
            return "'//' left";
        }

        foreach (var segment in path.Split('/'))
        {
            // A dot-segment left would be resolved again by the upstream, after authorization.
            if (segment is "." or "..")
            {
                return "dot-segment left";
            }
        }

        for (var i = path.IndexOf('%', StringComparison.Ordinal); i >= 0; i = path.IndexOf('%', i + 1))
        {
            var value = Convert.ToInt32(path.Substring(i + 1, 2), 16);

            // Escapes left are only the ones kept on purpose: %2F, %5C (unless decoded by the mode), %25, and
            // bytes that are not valid UTF-8. Anything else (e.g. %2E, %41) would mean an unreserved character
            // still hides behind an escape.
            var kept = value is 0x25 or >= 0x80 || (value is 0x2F or 0x5C && mode != PathNormalization.DecodeAndMergeSlashes);
            if (!kept || path[i + 1] is >= 'a' and <= 'f' || path[i + 2] is >= 'a' and <= 'f')
            {
                return $"escape '{path.Substring(i, 3)}' left";
            }
        }

        return null;
    }

    private static bool IsIdempotent(string path, PathNormalization mode)
        => PathNormalizer.Normalize(path, mode, out var again) switch
        {
            PathNormalizationResult.Unchanged => true,
            PathNormalizationResult.Normalized => again == path,
            _ => false,
        };
}
