using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing;

/// <summary>
/// The Gateway API's order for HTTPRoute matches on one host (HTTPRouteRule, "precedence"): an Exact path
/// first, then the longest PathPrefix, then a method match, then the most header matches, then the most
/// query param matches; ties go to the oldest route, then the route name, then rule and match order.
/// Regular-expression paths (implementation-specific in the spec) rank after every prefix.
/// </summary>
internal static class GatewayApiPrecedence
{
    public static int Compare(Route a, Route b)
    {
        var ma = a.MatchList.Length == 0 ? null : a.MatchList[0];
        var mb = b.MatchList.Length == 0 ? null : b.MatchList[0];

        var byPath = ComparePath(ma, mb);
        if (byPath != 0)
        {
            return byPath;
        }

        var byMethod = (mb?.HasMethod == true).CompareTo(ma?.HasMethod == true);
        if (byMethod != 0)
        {
            return byMethod;
        }

        var byHeaders = (mb?.HeaderCount ?? 0).CompareTo(ma?.HeaderCount ?? 0);
        if (byHeaders != 0)
        {
            return byHeaders;
        }

        var byQuery = (mb?.QueryParamCount ?? 0).CompareTo(ma?.QueryParamCount ?? 0);
        if (byQuery != 0)
        {
            return byQuery;
        }

        var ia = a.GatewayApiOrder;
        var ib = b.GatewayApiOrder;
        var byAge = ia.CreationOrder.CompareTo(ib.CreationOrder);
        if (byAge != 0)
        {
            return byAge;
        }

        var byName = string.CompareOrdinal(ia.QualifiedName, ib.QualifiedName);
        if (byName != 0)
        {
            return byName;
        }

        var byRule = ia.RuleIndex.CompareTo(ib.RuleIndex);
        return byRule != 0 ? byRule : a.MatchIndex.CompareTo(b.MatchIndex);
    }

    /// <summary>
    /// Exact first, then PathPrefix by the number of characters as written ("/match/" outranks "/match", although
    /// they select the same paths), then regex. No path is the spec's default, <c>PathPrefix /</c>.
    /// </summary>
    private static int ComparePath(RouteMatch? a, RouteMatch? b)
    {
        var (rankA, lengthA) = Rank(a);
        var (rankB, lengthB) = Rank(b);
        return rankA != rankB ? rankA.CompareTo(rankB) : lengthB.CompareTo(lengthA);
    }

    private static (int Rank, int Length) Rank(RouteMatch? match) => match?.Config.Path switch
    {
        { Kind: StringMatchKind.Exact } path => (0, path.Value.Length),
        { Kind: StringMatchKind.SegmentPrefix or StringMatchKind.Prefix } path => (1, path.Value.Length),
        { Kind: StringMatchKind.Regex } path => (2, path.Value.Length),
        _ => (1, 1),
    };
}
