using System.Globalization;

namespace Gateway.Middleware.HardeningTests.Fuzzing;

/// <summary>
/// How long each property runs: a few seconds in CI, longer with <c>GATEWAY_FUZZ_SECONDS</c> (e.g. 600 for ten
/// minutes per property). CsCheck reports the seed of any failure; replay it with <c>GATEWAY_FUZZ_SEED</c>.
/// </summary>
internal static class FuzzBudget
{
    public const string SecondsVariable = "GATEWAY_FUZZ_SECONDS";
    public const string SeedVariable = "GATEWAY_FUZZ_SEED";

    /// <summary>Default per property in CI: enough for thousands of cases, small next to the suite.</summary>
    public const int DefaultSeconds = 2;

    public static int Seconds
        => int.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : DefaultSeconds;

    /// <summary>A seed to replay (CsCheck's seed string from a failure report), or null for a random start.</summary>
    public static string? Seed => Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } seed ? seed : null;
}
