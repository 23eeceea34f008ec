using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Middleware.Tests.Upstreams;

/// <summary>Istio <c>outlierDetection</c> as Envoy's consecutive-error detectors eject and readmit endpoints.</summary>
public sealed class OutlierDetectorTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Consecutive5xx_AtThreshold_EndpointEjected()
    {
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 3, MaxEjectionPercent = 100 });

        Report(cluster, 0, 500, 503);
        Assert.False(cluster.EndpointStates[0].Ejected);
        Report(cluster, 0, 500);

        Assert.True(cluster.EndpointStates[0].Ejected);
        Assert.Equal([0, 10], TestClusters.Counts(cluster, 10));
    }

    [Fact]
    public void Consecutive5xx_SuccessInBetween_StreakStartsAgain()
    {
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 3 });

        Report(cluster, 0, 500, 500, 404, 500, 500);

        // A 4xx is not a 5xx: Envoy's counters reset on any non-5xx answer.
        Assert.False(cluster.EndpointStates[0].Ejected);
    }

    [Fact]
    public void ConsecutiveGatewayErrors_OnlyBadGatewayUnavailableAndTimeoutCount()
    {
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 0, ConsecutiveGatewayErrors = 2 });

        Report(cluster, 0, 502, 500, 503);
        Assert.False(cluster.EndpointStates[0].Ejected);
        Report(cluster, 0, 504);

        Assert.True(cluster.EndpointStates[0].Ejected);
    }

    [Fact]
    public void LocalFailures_CountAsGatewayErrors()
    {
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 0, ConsecutiveGatewayErrors = 2 });

        cluster.ReportLocalFailure(1, timeout: false);
        cluster.ReportLocalFailure(1, timeout: true);

        Assert.True(cluster.EndpointStates[1].Ejected);
    }

    [Fact]
    public void Ejection_EndsAfterBaseEjectionTime()
    {
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 1, BaseEjectionTime = Base });
        Report(cluster, 0, 500);

        _time.Advance(Base - TimeSpan.FromMilliseconds(1));
        Assert.Equal([0, 4], TestClusters.Counts(cluster, 4));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([2, 2], TestClusters.Counts(cluster, 4));
        Assert.False(cluster.EndpointStates[0].Ejected);
    }

    [Fact]
    public void SecondEjection_LastsTwiceTheBaseTime()
    {
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 1, BaseEjectionTime = Base, Interval = TimeSpan.FromMinutes(10) });
        Report(cluster, 0, 500);
        _time.Advance(Base);
        cluster.PickEndpointIndex(null);

        Report(cluster, 0, 500);
        _time.Advance(Base * 2 - TimeSpan.FromMilliseconds(1));
        cluster.PickEndpointIndex(null);
        Assert.True(cluster.EndpointStates[0].Ejected);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        cluster.PickEndpointIndex(null);
        Assert.False(cluster.EndpointStates[0].Ejected);
    }

    [Fact]
    public void EjectionCount_DecaysOneEveryHealthyInterval()
    {
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 1, BaseEjectionTime = Base, Interval = TimeSpan.FromSeconds(10) });
        Report(cluster, 0, 500);
        _time.Advance(Base);
        cluster.PickEndpointIndex(null);

        // Healthy for one interval: the count drops back to 0 and the next ejection is the base time again.
        _time.Advance(TimeSpan.FromSeconds(10));
        Report(cluster, 0, 500);
        _time.Advance(Base);
        cluster.PickEndpointIndex(null);

        Assert.False(cluster.EndpointStates[0].Ejected);
    }

    [Fact]
    public void MaxEjectionPercent_FirstEjectionAlwaysAllowed()
    {
        // Istio's default 10%: one of two endpoints is 50%, yet Envoy ejects when none is ejected yet.
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 1, MaxEjectionPercent = 10 });

        Report(cluster, 0, 500);
        Report(cluster, 1, 500);

        Assert.True(cluster.EndpointStates[0].Ejected);
        Assert.False(cluster.EndpointStates[1].Ejected);
    }

    [Theory]
    [InlineData(25, 1)]
    [InlineData(50, 2)]
    [InlineData(74, 2)]
    [InlineData(75, 3)]
    [InlineData(100, 4)]
    public void MaxEjectionPercent_BoundsEjectedEndpoints(int percent, int ejected)
    {
        var cluster = Create(4, new OutlierDetectionConfig { Consecutive5xxErrors = 1, MaxEjectionPercent = percent });

        for (var i = 0; i < 4; i++)
        {
            Report(cluster, i, 500);
        }

        Assert.Equal(ejected, cluster.EndpointStates.EjectedCount);
    }

    [Fact]
    public void AllEjected_NoEndpointPicked()
    {
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 1, MaxEjectionPercent = 100 });

        Report(cluster, 0, 500);
        Report(cluster, 1, 500);

        Assert.Equal(-1, cluster.PickEndpointIndex(null));
    }

    [Fact]
    public void MinHealthPercent_BelowThreshold_PanicUsesEveryEndpoint()
    {
        var cluster = Create(4, new OutlierDetectionConfig { Consecutive5xxErrors = 1, MaxEjectionPercent = 100, MinHealthPercent = 50 });

        Report(cluster, 0, 500);
        Report(cluster, 1, 500);
        Assert.Equal([0, 0, 2, 2], TestClusters.Counts(cluster, 4));

        // 25% healthy is below 50%: Envoy's panic mode balances over all endpoints, ejected or not.
        Report(cluster, 2, 500);
        Assert.Equal([1, 1, 1, 1], TestClusters.Counts(cluster, 4));
    }

    [Fact]
    public void Readmission_ResetsStreaks()
    {
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 2, BaseEjectionTime = Base });
        Report(cluster, 0, 500, 500);
        Report(cluster, 0, 500);
        _time.Advance(Base);
        cluster.PickEndpointIndex(null);

        Report(cluster, 0, 500);

        Assert.False(cluster.EndpointStates[0].Ejected);
    }

    [Fact]
    public void Disabled_NeverEjects()
    {
        var cluster = Create(2, new OutlierDetectionConfig { Consecutive5xxErrors = 0, ConsecutiveGatewayErrors = 0 });

        Report(cluster, 0, 500, 500, 500, 500, 500, 500);

        Assert.Equal(0, cluster.EndpointStates.EjectedCount);
    }

    private UpstreamCluster Create(int endpoints, OutlierDetectionConfig config)
        => TestClusters.Create(endpoints, TestClusters.Outlier(config), _time);

    private static void Report(UpstreamCluster cluster, int index, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            cluster.ReportStatus(index, status);
        }
    }
}
