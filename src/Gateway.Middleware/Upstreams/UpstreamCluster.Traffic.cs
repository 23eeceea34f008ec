using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Upstreams;

internal sealed partial class UpstreamCluster
{
    /// <summary>
    /// The request's consistent-hash key (<see langword="null"/> unless the load balancer hashes and the key is
    /// present); <paramref name="setCookie"/> is the <c>Set-Cookie</c> to answer with when the gateway generated the
    /// hash cookie.
    /// </summary>
    public ulong? HashRequest(HttpContext context, out string? setCookie) => _balancer.Hash(context, out setCookie);

    /// <summary>
    /// The index of the endpoint for a try (<paramref name="attempt"/> &gt; 0 re-selects for a retry), skipping
    /// ejected endpoints; -1 when none is eligible (503 <c>no healthy upstream</c>).
    /// </summary>
    public int PickEndpointIndex(ulong? hash, int attempt = 0)
    {
        _outlier?.ReadmitDue();
        return _endpoints.Length == 0 ? -1 : _balancer.Pick(_states, hash, attempt);
    }

    /// <summary>An endpoint chosen by the load balancer without a hash key; <see langword="null"/> when there is none.</summary>
    public UpstreamEndpoint? PickEndpoint()
    {
        var index = PickEndpointIndex(null);
        return index < 0 ? null : _endpoints[index];
    }

    /// <summary>A try to the endpoint starts (least request counts tries in flight).</summary>
    public void OnTryStarted(int index)
    {
        Interlocked.Increment(ref _activeRequests);
        if (_countActive)
        {
            Interlocked.Increment(ref _states[index].ActiveRequests);
        }
    }

    /// <summary>A try to the endpoint ended (its response is done or it failed); exactly once per <see cref="OnTryStarted"/>.</summary>
    public void OnTryEnded(int index)
    {
        Interlocked.Decrement(ref _activeRequests);
        if (_countActive)
        {
            Interlocked.Decrement(ref _states[index].ActiveRequests);
        }
    }

    /// <summary>Reports the status an endpoint answered to outlier detection.</summary>
    public void ReportStatus(int index, int status) => _outlier?.ReportStatus(index, status);

    /// <summary>
    /// Reports a try that failed without an answer: a timeout counts as 504, a connect failure or reset as 503
    /// (Envoy's mapping of locally originated errors when they are not split from the upstream's).
    /// </summary>
    public void ReportLocalFailure(int index, bool timeout) => _outlier?.ReportStatus(index, timeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable);
}
