using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Upstreams.LoadBalancing;

/// <summary>
/// Istio <c>consistentHash</c> with <c>ringHash</c> (Envoy <c>RING_HASH</c>): each endpoint owns
/// <c>minimumRingSize / endpoints</c> points of a hash ring; a request goes to the owner of the first point at or
/// after its key's hash. An ejected endpoint's points pass to the next owner on the ring, as if the ring were
/// rebuilt without it, so other keys stay where they were. A request without the key is placed at random (Envoy).
/// </summary>
internal sealed class RingHashLoadBalancer : LoadBalancer
{
    private readonly RequestHashKey _key;
    private readonly ulong[] _points;
    private readonly int[] _owners;

    public RingHashLoadBalancer(RequestHashKey key, ReadOnlySpan<UpstreamEndpoint> endpoints, int minimumRingSize)
    {
        _key = key;
        if (endpoints.Length == 0)
        {
            _points = [];
            _owners = [];
            return;
        }

        var perEndpoint = Math.Max(1, (minimumRingSize + endpoints.Length - 1) / endpoints.Length);
        _points = new ulong[perEndpoint * endpoints.Length];
        _owners = new int[_points.Length];
        var at = 0;
        Span<char> number = stackalloc char[11];
        for (var i = 0; i < endpoints.Length; i++)
        {
            // Envoy hashes "address_n" per point; the authority (host:port) is the endpoint's identity.
            var authority = endpoints[i].Address.Authority;
            for (var n = 0; n < perEndpoint; n++)
            {
                // The hash of "authority_n", streamed without building the string.
                var point = new StableHash();
                point.Add(authority);
                point.Add("_");
                _ = n.TryFormat(number, out var written, default, CultureInfo.InvariantCulture);
                point.Add(number[..written]);
                _points[at] = point.Finish();
                _owners[at] = i;
                at++;
            }
        }

        Array.Sort(_points, _owners);
    }

    public int RingSize => _points.Length;

    public override ulong? Hash(HttpContext context, out string? setCookie) => _key.Compute(context, out setCookie);

    public override int Pick(EndpointSet endpoints, ulong? hash, int attempt)
    {
        var eligible = endpoints.EligibleCount(out var all);
        if (eligible == 0)
        {
            return -1;
        }

        var points = _points;
        var key = hash ?? (ulong)Random.Shared.NextInt64(long.MinValue, long.MaxValue);
        var index = Array.BinarySearch(points, key);
        if (index < 0)
        {
            index = ~index;
        }

        // A retry moves on along the ring (Envoy: "behave as if this host was not in the ring").
        index = (int)(((long)index + attempt) % points.Length);
        for (var i = 0; i < points.Length; i++)
        {
            var owner = _owners[index];
            if (all || !endpoints[owner].Ejected)
            {
                return owner;
            }

            index = index + 1 == points.Length ? 0 : index + 1;
        }

        return -1;
    }
}
