using Gateway.Middleware.Authentication;
using Gateway.Middleware.Diagnostics;

namespace Gateway.Middleware.Tests.Diagnostics;

/// <summary>Metric attribute values come from fixed sets: a client cannot create series (issue #7, "Metrics").</summary>
public sealed class GatewayMetricsTagTests
{
    [Theory]
    [InlineData(nameof(JwtStatus.Expired), "expired")]
    [InlineData(nameof(JwtStatus.NotYetValid), "not_yet_valid")]
    [InlineData(nameof(JwtStatus.MissingExp), "missing_exp")]
    [InlineData(nameof(JwtStatus.VerificationFail), "signature")]
    [InlineData(nameof(JwtStatus.UnknownIssuer), "issuer")]
    [InlineData(nameof(JwtStatus.AudienceNotAllowed), "audience")]
    [InlineData(nameof(JwtStatus.HeaderBadKid), "kid")]
    [InlineData(nameof(JwtStatus.KidAlgMismatch), "kid")]
    [InlineData(nameof(JwtStatus.HeaderBadAlg), "algorithm")]
    [InlineData(nameof(JwtStatus.HeaderUnknownCrit), "crit")]
    [InlineData(nameof(JwtStatus.NoValidKeys), "no_keys")]
    [InlineData(nameof(JwtStatus.MultipleTokens), "multiple_tokens")]
    [InlineData(nameof(JwtStatus.BadFormat), "malformed")]
    [InlineData(nameof(JwtStatus.PayloadBadJson), "malformed")]
    [InlineData(nameof(JwtStatus.TooLarge), "malformed")]
    public void JwtReason_EveryStatus_MapsToBoundedReason(string status, string reason)
        => Assert.Equal(reason, GatewayMetrics.JwtReason(Enum.Parse<JwtStatus>(status)));

    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("get", "GET")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("CONNECT", "CONNECT")]
    [InlineData("PURGE", "_OTHER")]
    [InlineData("X-RANDOM-1234", "_OTHER")]
    public void Method_KnownOrOther(string method, string expected)
        => Assert.Equal(expected, MetricTagValues.Method(method));

    [Fact]
    public void StatusCode_CachedBoxes()
    {
        Assert.Same(MetricTagValues.StatusCode(503), MetricTagValues.StatusCode(503));
        Assert.Equal(503, MetricTagValues.StatusCode(503));
        Assert.Equal(999, MetricTagValues.StatusCode(999));
    }
}
