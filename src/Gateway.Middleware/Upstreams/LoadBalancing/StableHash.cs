namespace Gateway.Middleware.Upstreams.LoadBalancing;

/// <summary>
/// A hash that is the same in every process and on every replica (unlike <see cref="string.GetHashCode()"/>,
/// randomized per process), so replicas map a key to the same endpoint: 64-bit FNV-1a over the input, finished
/// with MurmurHash3's <c>fmix64</c> so nearby keys land far apart on the ring.
/// </summary>
internal struct StableHash
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    private ulong _state;

    public StableHash()
    {
        _state = OffsetBasis;
    }

    public static ulong Of(ReadOnlySpan<char> value)
    {
        var hash = new StableHash();
        hash.Add(value);
        return hash.Finish();
    }

    public void Add(ReadOnlySpan<char> value)
    {
        var state = _state;
        foreach (var c in value)
        {
            state = (state ^ (byte)c) * Prime;
            state = (state ^ (byte)(c >> 8)) * Prime;
        }

        _state = state;
    }

    public void Add(ReadOnlySpan<byte> value)
    {
        var state = _state;
        foreach (var b in value)
        {
            state = (state ^ b) * Prime;
        }

        _state = state;
    }

    public readonly ulong Finish()
    {
        var h = _state;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccd;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53;
        h ^= h >> 33;
        return h;
    }
}
