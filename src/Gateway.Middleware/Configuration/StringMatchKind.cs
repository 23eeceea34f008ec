namespace Gateway.Middleware.Configuration;

internal enum StringMatchKind
{
    Exact,

    /// <summary>Plain string prefix (Istio: <c>/v2</c> matches <c>/v2example</c>).</summary>
    Prefix,

    /// <summary>RE2-style regular expression that must match the whole value (Istio anchors it).</summary>
    Regex,

    /// <summary>Gateway API <c>PathPrefix</c>: whole segments, trailing <c>/</c> ignored (<c>/v2</c> does not match <c>/v2example</c>).</summary>
    SegmentPrefix,
}
