namespace Gateway.Middleware.HardeningTests.Soak;

/// <summary>
/// A test that runs only when <c>GATEWAY_SOAK_MINUTES</c> is set (e.g. 30); otherwise it is reported as skipped
/// with the way to run it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SoakFactAttribute : FactAttribute
{
    public const string Variable = "GATEWAY_SOAK_MINUTES";

    public SoakFactAttribute()
    {
        if (Minutes <= 0)
        {
            Skip = $"Soak test: opt-in, set {Variable}=30 (minutes) to run it (docs/security.md).";
        }
    }

    public static double Minutes
        => double.TryParse(Environment.GetEnvironmentVariable(Variable), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var minutes) ? minutes : 0;
}
