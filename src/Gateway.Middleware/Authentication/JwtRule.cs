namespace Gateway.Middleware.Authentication;

/// <summary>A <see cref="JwtRuleConfig"/> compiled: its key source resolved, locations and claim paths prepared.</summary>
internal sealed class JwtRule
{
    public JwtRule(JwtRuleConfig config, JwtKeySet? inlineKeys, RemoteJwks? remote, IReadOnlyList<JwtTokenLocation> locations)
    {
        Config = config;
        InlineKeys = inlineKeys;
        Remote = remote;
        Locations = locations;
        Audiences = config.Audiences.Count == 0 ? null : new HashSet<string>(config.Audiences, StringComparer.Ordinal);
        ClaimHeaders = [.. config.OutputClaimToHeaders.Select(c => (c.Header, c.Claim.Split('.')))];
    }

    public JwtRuleConfig Config { get; }

    public JwtKeySet? InlineKeys { get; }

    public RemoteJwks? Remote { get; }

    public IReadOnlyList<JwtTokenLocation> Locations { get; }

    /// <summary>Null: any audience (Istio, when <c>audiences</c> is empty).</summary>
    public HashSet<string>? Audiences { get; }

    public (string Header, string[] Path)[] ClaimHeaders { get; }

    /// <summary>The keys a cached validation was made with; a rotation makes such entries stale.</summary>
    public JwtKeySet? CurrentKeys => InlineKeys ?? Remote?.Current;

    public ValueTask<JwtKeySet?> GetKeysAsync()
        => InlineKeys is not null ? ValueTask.FromResult<JwtKeySet?>(InlineKeys)
            : Remote is not null ? Remote.GetAsync()
            : ValueTask.FromResult<JwtKeySet?>(null);
}
