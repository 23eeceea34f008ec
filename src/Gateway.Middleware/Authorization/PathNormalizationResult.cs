namespace Gateway.Middleware.Authorization;

/// <summary>The outcome of normalizing a raw request path.</summary>
internal enum PathNormalizationResult
{
    /// <summary>The path is already normal; nothing was allocated.</summary>
    Unchanged,

    /// <summary>The path changed; the normalized form was returned.</summary>
    Normalized,

    /// <summary><c>%00</c> or an invalid <c>%</c> escape: answered 400.</summary>
    Invalid,
}
