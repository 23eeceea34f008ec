using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Sources;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Authentication;

/// <summary>The JWT rules declared in code, merged with every other source at each (re)load.</summary>
internal sealed class JwtRuleDeclarations : IGatewayConfigSource
{
    private readonly List<JwtRuleConfig> _rules = [];
    private bool _frozen;

    public string Name => "code:jwtRules";

    public void Add(JwtRuleConfig rule)
    {
        if (Volatile.Read(ref _frozen))
        {
            throw new InvalidOperationException("The gateway has already been built; JWT rules can no longer be added.");
        }

        _rules.Add(rule);
    }

    public ConfigSourceResult Load()
    {
        Volatile.Write(ref _frozen, true);
        return new ConfigSourceResult(new GatewayConfig([], []) { JwtRules = [.. _rules] }, [], []);
    }

    public IChangeToken? Watch() => null;
}
