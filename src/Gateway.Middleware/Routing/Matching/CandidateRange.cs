namespace Gateway.Middleware.Routing.Matching;

/// <summary>A slice of the flat candidate array: route indices in ascending order.</summary>
internal readonly record struct CandidateRange(int Start, int Length)
{
    public int End => Start + Length;
}
