namespace Gateway.Middleware.Authorization;

/// <summary>Matches every request: a rule with no <c>from</c>, <c>to</c> or <c>when</c> (<c>rules: [{}]</c>).</summary>
internal sealed class RbacAnyMatcher : RbacMatcher
{
    public static readonly RbacAnyMatcher Instance = new();

    private RbacAnyMatcher()
    {
    }

    public override bool Matches(in RbacRequest request) => true;
}
