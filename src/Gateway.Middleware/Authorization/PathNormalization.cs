namespace Gateway.Middleware.Authorization;

/// <summary>
/// How the request path is normalized before routing and authorization (Istio's
/// <c>meshConfig.pathNormalization.normalization</c>). The gateway's default is
/// <see cref="MergeSlashes"/>; Istio's is <see cref="Base"/>, which leaves <c>//admin</c> unmerged.
/// </summary>
public enum PathNormalization
{
    /// <summary>
    /// Istio <c>NONE</c>: the path is used as Kestrel parsed it (Kestrel always decodes escapes other than
    /// <c>%2F</c> and removes dot-segments; that cannot be turned off). <c>%00</c> and invalid escapes are
    /// still answered 400.
    /// </summary>
    None,

    /// <summary>
    /// Istio <c>BASE</c> (Envoy <c>normalize_path</c>): RFC 3986 §6.2.2 normalization (unreserved
    /// <c>%xx</c> decoded, dot-segments removed, including encoded ones) and <c>\</c> → <c>/</c>.
    /// <c>//</c> is kept.
    /// </summary>
    Base,

    /// <summary>Istio <c>MERGE_SLASHES</c>: <see cref="Base"/>, then runs of <c>/</c> merged into one. The default.</summary>
    MergeSlashes,

    /// <summary>
    /// Istio <c>DECODE_AND_MERGE_SLASHES</c>: <c>%2F</c> and <c>%5C</c> decoded to <c>/</c> first (Envoy
    /// <c>path_with_escaped_slashes_action: UNESCAPE_AND_FORWARD</c>), then <see cref="MergeSlashes"/>.
    /// </summary>
    DecodeAndMergeSlashes,
}
