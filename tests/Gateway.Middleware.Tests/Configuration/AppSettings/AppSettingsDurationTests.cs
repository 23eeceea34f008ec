namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>
/// Durations are written as .NET writes a <see cref="TimeSpan"/> (<c>00:00:05</c>) or as Istio writes a
/// protobuf Duration (Go's <c>time.ParseDuration</c>: <c>5s</c>, <c>100ms</c>, <c>1m30s</c>). A bare number
/// is refused rather than read as days, which is what <see cref="TimeSpan.Parse(string)"/> would do.
/// </summary>
public sealed class AppSettingsDurationTests
{
    [Theory]
    [InlineData("00:00:05", 5_000)]
    [InlineData("00:00:00.250", 250)]
    [InlineData("00:01:30", 90_000)]
    [InlineData("1.00:00:00", 86_400_000)]
    [InlineData("5s", 5_000)]
    [InlineData("100ms", 100)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0", 0)]
    public void Duration_TimeSpanOrIstioForm_Parsed(string text, int milliseconds)
    {
        var route = AppSettings.Config($$"""{ "Gateway": { "Routes": [ { "Name": "r", "Timeout": "{{text}}" } ] } }""").Routes[0];

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), route.Timeout);
    }

    [Theory]
    [InlineData("5", "'5' is not a duration: write 00:00:05 or 5s, 100ms, 1m30s")]
    [InlineData("soon", "'soon' is not a duration: write 00:00:05 or 5s, 100ms, 1m30s")]
    [InlineData("5 s", "'5 s' is not a duration: write 00:00:05 or 5s, 100ms, 1m30s")]
    [InlineData("", "'' is not a duration: write 00:00:05 or 5s, 100ms, 1m30s")]
    [InlineData("-1s", "must not be negative, got '-1s'")]
    [InlineData("-00:00:01", "must not be negative, got '-00:00:01'")]
    public void Duration_Invalid_ErrorNamesTheKey(string text, string message)
    {
        var result = AppSettings.Load($$"""{ "Gateway": { "Routes": [ { "Name": "r", "Timeout": "{{text}}" } ] } }""");

        Assert.Equal([$"Gateway:Routes:0:Timeout: {message}"], result.Errors);
    }
}
