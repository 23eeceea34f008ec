using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// Istio durations too large for a <see cref="TimeSpan"/> are a configuration error naming the value, never an
/// exception (a 28-digit number of hours overflowed decimal arithmetic; found by Fuzzing/YamlLoaderFuzzTests).
/// </summary>
public sealed class YamlDurationOverflowTests
{
    [Theory]
    [InlineData("300000000h")]
    [InlineData("9999999999999999999999999999h")]
    [InlineData("79228162514264337593543950335ns")]
    [InlineData("1h9999999999999999999999999999m")]
    public void TryParseIstio_TooLarge_ErrorNotException(string text)
    {
        Assert.False(YamlDuration.TryParseIstio(text, out _, out var error));
        Assert.Equal($"invalid duration '{text}': too large", error);
    }

    [Fact]
    public void TryParseIstio_LargeButRepresentable_Parsed()
    {
        Assert.True(YamlDuration.TryParseIstio("200000000h", out var value, out var error));
        Assert.Null(error);
        Assert.Equal(TimeSpan.FromHours(200_000_000), value);
    }
}
