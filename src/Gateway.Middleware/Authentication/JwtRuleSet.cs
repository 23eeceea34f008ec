using System.Runtime.CompilerServices;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// The JWT rules of one <see cref="GatewaySnapshot"/>, attached to it when it is built so a reload swaps
/// them together with routes; compiled into a <see cref="JwtAuthenticator"/> once, on first use.
/// </summary>
internal sealed class JwtRuleSet
{
    private static readonly ConditionalWeakTable<GatewaySnapshot, JwtRuleSet> Attached = [];

    private JwtAuthenticator? _authenticator;

    private JwtRuleSet(IReadOnlyList<JwtRuleConfig> rules)
    {
        Rules = rules;
    }

    public IReadOnlyList<JwtRuleConfig> Rules { get; }

    public static GatewaySnapshot Attach(GatewaySnapshot snapshot, IReadOnlyList<JwtRuleConfig> rules)
    {
        if (rules.Count > 0)
        {
            Attached.AddOrUpdate(snapshot, new JwtRuleSet([.. rules]));
        }

        return snapshot;
    }

    /// <summary>The rules of <paramref name="snapshot"/>; null when it has none (tokens are not checked).</summary>
    public static JwtRuleSet? For(GatewaySnapshot snapshot)
        => Attached.TryGetValue(snapshot, out var set) ? set : null;

    public JwtAuthenticator GetAuthenticator(JwksProvider jwks, TimeProvider timeProvider)
        => Volatile.Read(ref _authenticator) ?? Create(jwks, timeProvider);

    /// <summary>Every distinct <c>jwksUri</c> (or issuer using OIDC discovery) with the rule that declares it first.</summary>
    public IEnumerable<JwtRuleConfig> RemoteRules()
        => Rules.Where(r => r.Jwks is null).DistinctBy(r => r.JwksUri ?? "discovery " + r.Issuer, StringComparer.Ordinal);

    private JwtAuthenticator Create(JwksProvider jwks, TimeProvider timeProvider)
    {
        var authenticator = Compile(Rules, jwks, timeProvider);
        return Interlocked.CompareExchange(ref _authenticator, authenticator, null) ?? authenticator;
    }

    public static JwtAuthenticator Compile(IReadOnlyList<JwtRuleConfig> rules, JwksProvider jwks, TimeProvider timeProvider)
    {
        var compiled = new List<JwtRule>(rules.Count);
        foreach (var config in rules)
        {
            JwtKeySet? inline = null;
            RemoteJwks? remote = null;
            if (config.Jwks is not null)
            {
                // Validated at load; a set with no usable key leaves the rule failing closed.
                _ = JwtKeySet.TryParse(config.Jwks, allowSymmetric: true, out var keys, out _);
                inline = keys;
            }
            else if (config.JwksUri is not null)
            {
                remote = jwks.Get(new Uri(config.JwksUri), config.Timeout, config.RefreshInterval);
            }
            else
            {
                // Neither: OIDC discovery from <issuer>/.well-known/openid-configuration (issuer validated at load).
                remote = jwks.GetDiscovered(config.Issuer, config.Timeout, config.RefreshInterval);
            }

            compiled.Add(new JwtRule(config, inline, remote, LocationsOf(config)));
        }

        return new JwtAuthenticator(compiled, timeProvider);
    }

    private static List<JwtTokenLocation> LocationsOf(JwtRuleConfig config)
    {
        if (config.FromHeaders.Count == 0 && config.FromParams.Count == 0 && config.FromCookies.Count == 0)
        {
            return [JwtTokenLocation.AuthorizationBearer, JwtTokenLocation.AccessTokenParam];
        }

        var locations = new List<JwtTokenLocation>();
        foreach (var header in config.FromHeaders)
        {
            locations.Add(string.Equals(header.Name, "Authorization", StringComparison.OrdinalIgnoreCase)
                && string.Equals(header.Prefix, "Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtTokenLocation.AuthorizationBearer
                    : new JwtTokenLocation(JwtTokenLocationKind.Header, header.Name, header.Prefix));
        }

        locations.AddRange(config.FromParams.Select(p => p == "access_token" ? JwtTokenLocation.AccessTokenParam : new JwtTokenLocation(JwtTokenLocationKind.Param, p, "")));
        locations.AddRange(config.FromCookies.Select(c => new JwtTokenLocation(JwtTokenLocationKind.Cookie, c, "")));
        return locations;
    }
}
