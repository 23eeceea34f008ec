using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>Istio durations (protobuf Duration read with Go's time.ParseDuration) and Gateway API durations (GEP-2257).</summary>
public sealed class YamlDurationTests
{
    [Theory]
    [InlineData("1.5s", 1500)]
    [InlineData("100ms", 100)]
    [InlineData("1m", 60_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("2h45m10.5s", 9_910_500)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("500us", 0.5)]
    [InlineData("-1s", -1000)]
    public void TryParseIstio_ValidDuration_Value(string text, double milliseconds)
    {
        Assert.True(YamlDuration.TryParseIstio(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1.5")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("1 s")]
    [InlineData("soon")]
    public void TryParseIstio_Invalid_False(string text) => Assert.False(YamlDuration.TryParseIstio(text, out _, out _));

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1h1m1s1ms", 3_661_001)]
    [InlineData("0s", 0)]
    public void TryParseGatewayApi_ValidDuration_Value(string text, double milliseconds)
    {
        Assert.True(YamlDuration.TryParseGatewayApi(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("1.5s")]
    [InlineData("100us")]
    [InlineData("1h1m1s1ms1h")]
    [InlineData("123456s")]
    [InlineData("-1s")]
    public void TryParseGatewayApi_Invalid_False(string text) => Assert.False(YamlDuration.TryParseGatewayApi(text, out _, out _));
}
