namespace Gateway.Middleware.Routing.Matching;

/// <summary>
/// A node of the compressed trie over literal path keys. Candidate lists are ranges of
/// <see cref="RouteIndex"/>'s flat candidate array, each in ascending route order.
/// </summary>
internal sealed class PathTrieNode
{
    /// <summary>The chars consumed to reach this node from its parent (empty for the root).</summary>
    public required string Edge { get; init; }

    /// <summary>The first char of each child's <see cref="Edge"/>, parallel to <see cref="Children"/>.</summary>
    public required char[] Labels { get; init; }

    public required PathTrieNode[] Children { get; init; }

    /// <summary>Routes that are candidates for any path starting with this node's key.</summary>
    public CandidateRange Prefix { get; init; }

    /// <summary>Routes that are candidates for a path equal to this node's key.</summary>
    public CandidateRange Exact { get; init; }
}
