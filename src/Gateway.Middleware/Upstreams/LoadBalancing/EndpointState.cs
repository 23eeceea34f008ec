namespace Gateway.Middleware.Upstreams.LoadBalancing;

/// <summary>
/// The live state of one endpoint of one cluster: requests in flight (least request) and outlier detection's
/// counters and ejection. Fields are updated with <see cref="Interlocked"/>/<see cref="Volatile"/>; ejection
/// changes happen under the detector's lock.
/// </summary>
internal sealed class EndpointState
{
    /// <summary>Tries in flight to this endpoint (Envoy's per-host <c>rq_active</c>).</summary>
    public int ActiveRequests;

    public int Consecutive5xx;

    public int ConsecutiveGatewayErrors;

    /// <summary>How many times the endpoint has been ejected (decays while it stays healthy).</summary>
    public int EjectionCount;

    /// <summary>When (<see cref="TimeProvider.GetTimestamp"/>) an ejected endpoint is readmitted.</summary>
    public long ReadmitAt;

    /// <summary>When the endpoint was last readmitted; the ejection count decays from there.</summary>
    public long ReadmittedAt;

    private volatile bool _ejected;

    public bool Ejected
    {
        get => _ejected;
        set => _ejected = value;
    }
}
