using System.Collections.Concurrent;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// Validated tokens by their exact text, so a client repeating its token costs one lookup. Bounded: when full
/// it is emptied (a flood of distinct valid tokens only costs re-validation). An entry is never used past the
/// token's <c>exp</c>, nor after the key set it was validated with has been replaced.
/// </summary>
internal sealed class JwtTokenCache
{
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private int _count;

    public JwtTokenCache(int capacity)
    {
        _capacity = capacity;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => Volatile.Read(ref _count);

    public bool TryGet(ReadOnlySpan<char> token, long nowUnixSeconds, out Entry entry)
    {
        if (_lookup.TryGetValue(token, out entry!) && nowUnixSeconds < entry.ExpiresUnixSeconds)
        {
            return true;
        }

        entry = null!;
        return false;
    }

    public void Add(string token, Entry entry)
    {
        if (_capacity <= 0)
        {
            return;
        }

        if (Interlocked.Increment(ref _count) > _capacity)
        {
            _entries.Clear();
            Volatile.Write(ref _count, 1);
        }

        _entries[token] = entry;
    }

    internal sealed record Entry(JwtResult Result, JwtKeySet Keys, long ExpiresUnixSeconds);
}
