using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Upstreams.LoadBalancing;

/// <summary>
/// Chooses the endpoint of a cluster for each try (Istio <c>LoadBalancerSettings</c>). Picks are lock-free and
/// allocate nothing; ejected endpoints are never chosen unless the cluster is in panic mode.
/// </summary>
internal abstract class LoadBalancer
{
    /// <summary>
    /// The index of the endpoint for a try, or -1 when no endpoint is eligible. <paramref name="hash"/> is the
    /// request's consistent-hash key (see <see cref="Hash"/>); <paramref name="attempt"/> counts host re-selections
    /// for a retry (0 for the first try).
    /// </summary>
    public abstract int Pick(EndpointSet endpoints, ulong? hash, int attempt);

    /// <summary>
    /// The request's consistent-hash key, or <see langword="null"/> when the policy does not hash or the key is
    /// missing. <paramref name="setCookie"/> is a <c>Set-Cookie</c> value to send with the response when the key
    /// is a cookie the gateway generated.
    /// </summary>
    public virtual ulong? Hash(HttpContext context, out string? setCookie)
    {
        setCookie = null;
        return null;
    }

    /// <summary>A uniformly random eligible endpoint; -1 when none.</summary>
    protected static int PickRandom(EndpointSet endpoints)
    {
        var eligible = endpoints.EligibleCount(out var all);
        if (eligible == 0)
        {
            return -1;
        }

        var n = Random.Shared.Next(eligible);
        return all ? n : endpoints.NthEligible(n);
    }
}
