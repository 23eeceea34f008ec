using System.Text;

namespace Gateway.Middleware.Routing.Matching;

internal sealed partial class RouteIndex
{
    /// <summary>Indexes <paramref name="routes"/>, which are already in evaluation order.</summary>
    public static RouteIndex Create(Route[] routes)
    {
        var foldCase = false;
        foreach (var route in routes)
        {
            foreach (var match in route.MatchList)
            {
                foldCase |= match.Path is { IgnoreCase: true };
            }
        }

        var root = new BuildNode();
        var always = new List<int>();
        for (var i = 0; i < routes.Length; i++)
        {
            var matches = routes[i].MatchList;
            if (matches.Length == 0)
            {
                Add(always, i);
                continue;
            }

            foreach (var match in matches)
            {
                var key = PathKey.For(match, foldCase);
                if (key.Kind == PathKeyKind.Always)
                {
                    Add(always, i);
                    continue;
                }

                var node = root;
                foreach (var c in key.Literal)
                {
                    node = node.Child(c);
                }

                Add(key.Kind == PathKeyKind.Exact ? node.Exact : node.Prefix, i);
            }
        }

        var candidates = new List<int>();
        var alwaysRange = Append(candidates, always);
        var trie = Freeze(root, "", candidates);
        return new RouteIndex(routes, trie, alwaysRange, [.. candidates], foldCase);
    }

    private static void Add(List<int> list, int route)
    {
        // Routes are visited in ascending order, so each list stays sorted; a route with two matches under
        // the same key is listed once.
        if (list.Count == 0 || list[^1] != route)
        {
            list.Add(route);
        }
    }

    private static CandidateRange Append(List<int> candidates, List<int> list)
    {
        var range = new CandidateRange(candidates.Count, list.Count);
        candidates.AddRange(list);
        return range;
    }

    /// <summary>Turns a build node into an immutable node, merging chains without candidates into one edge.</summary>
    private static PathTrieNode Freeze(BuildNode node, string edge, List<int> candidates)
    {
        var labels = new char[node.Children.Count];
        var children = new PathTrieNode[labels.Length];
        var i = 0;
        foreach (var (label, first) in node.Children)
        {
            var childEdge = new StringBuilder().Append(label);
            var child = first;
            while (child.Prefix.Count == 0 && child.Exact.Count == 0 && child.Children.Count == 1)
            {
                foreach (var (onlyLabel, only) in child.Children)
                {
                    childEdge.Append(onlyLabel);
                    child = only;
                }
            }

            labels[i] = label;
            children[i] = Freeze(child, childEdge.ToString(), candidates);
            i++;
        }

        return new PathTrieNode
        {
            Edge = edge,
            Labels = labels,
            Children = children,
            Prefix = Append(candidates, node.Prefix),
            Exact = Append(candidates, node.Exact),
        };
    }

    private sealed class BuildNode
    {
        public SortedDictionary<char, BuildNode> Children { get; } = [];

        public List<int> Prefix { get; } = [];

        public List<int> Exact { get; } = [];

        public BuildNode Child(char label)
        {
            if (!Children.TryGetValue(label, out var child))
            {
                Children[label] = child = new BuildNode();
            }

            return child;
        }
    }
}
