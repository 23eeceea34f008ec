using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing.Matching;

/// <summary>
/// Selects the first route, in evaluation order, that matches a request, without trying every route: a
/// compressed trie over the literal paths of exact and prefix matches yields the few candidates the
/// request's path allows, merged in route order with the routes every request must try (no path, regex).
/// The candidates are then matched in full, so the answer is exactly that of a linear scan: Istio's first
/// match in declaration order, or the Gateway API's precedence order the routes were sorted in. Nothing is
/// allocated per request.
/// </summary>
internal sealed partial class RouteIndex
{
    /// <summary>Candidate lists merged per request (trie nodes on the path, exact hit, always list).</summary>
    private const int MaxLists = 16;

    private readonly Route[] _routes;
    private readonly PathTrieNode _root;
    private readonly CandidateRange _always;
    private readonly int[] _candidates;
    private readonly bool _foldCase;

    private RouteIndex(Route[] routes, PathTrieNode root, CandidateRange always, int[] candidates, bool foldCase)
    {
        _routes = routes;
        _root = root;
        _always = always;
        _candidates = candidates;
        _foldCase = foldCase;
    }

    public Route? Match(HttpContext context)
    {
        Span<int> next = stackalloc int[MaxLists];
        Span<int> ends = stackalloc int[MaxLists];
        var lists = 0;
        if (_always.Length > 0)
        {
            next[0] = _always.Start;
            ends[0] = _always.End;
            lists = 1;
        }

        var path = RouteMatch.RequestPath(context.Request).AsSpan();
        var node = _root;
        var position = 0;
        while (true)
        {
            if (node.Prefix.Length > 0 && !TryAdd(node.Prefix, next, ends, ref lists))
            {
                return MatchLinear(context);
            }

            if (position == path.Length)
            {
                if (node.Exact.Length > 0 && !TryAdd(node.Exact, next, ends, ref lists))
                {
                    return MatchLinear(context);
                }

                break;
            }

            var label = _foldCase ? PathKey.Fold(path[position]) : path[position];
            var child = node.Labels.AsSpan().IndexOf(label);
            if (child < 0)
            {
                break;
            }

            node = node.Children[child];
            var edge = node.Edge;
            if (path.Length - position < edge.Length || !EdgeMatches(path.Slice(position, edge.Length), edge))
            {
                break;
            }

            position += edge.Length;
        }

        return Evaluate(context, next[..lists], ends[..lists]);
    }

    /// <summary>The reference semantics: every route in order, the first that matches wins.</summary>
    public Route? MatchLinear(HttpContext context)
    {
        foreach (var route in _routes)
        {
            if (route.Matches(context))
            {
                return route;
            }
        }

        return null;
    }

    /// <summary>Merges the candidate lists in ascending route order and returns the first full match.</summary>
    private Route? Evaluate(HttpContext context, Span<int> next, Span<int> ends)
    {
        var candidates = _candidates;
        var last = -1;
        while (true)
        {
            var list = -1;
            var lowest = int.MaxValue;
            for (var i = 0; i < next.Length; i++)
            {
                if (next[i] < ends[i] && candidates[next[i]] < lowest)
                {
                    lowest = candidates[next[i]];
                    list = i;
                }
            }

            if (list < 0)
            {
                return null;
            }

            next[list]++;

            // A route with several matches can sit in several lists; it only needs trying once.
            if (lowest != last)
            {
                last = lowest;
                var route = _routes[lowest];
                if (route.Matches(context))
                {
                    return route;
                }
            }
        }
    }

    private bool EdgeMatches(ReadOnlySpan<char> segment, string edge)
        // With case folding the edge holds ASCII-upper-cased chars; OrdinalIgnoreCase accepts at least every
        // path the folded comparison would, which keeps the candidates a superset.
        => _foldCase ? segment.Equals(edge, StringComparison.OrdinalIgnoreCase) : segment.SequenceEqual(edge);

    private static bool TryAdd(CandidateRange range, Span<int> next, Span<int> ends, ref int lists)
    {
        if (lists == next.Length)
        {
            return false;
        }

        next[lists] = range.Start;
        ends[lists] = range.End;
        lists++;
        return true;
    }
}
