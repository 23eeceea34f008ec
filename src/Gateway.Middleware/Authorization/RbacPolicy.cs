namespace Gateway.Middleware.Authorization;

/// <summary>One compiled policy: its action and the OR of its rules (<see langword="null"/> when it has none, so it never matches).</summary>
internal sealed class RbacPolicy
{
    public RbacPolicy(string name, AuthorizationPolicyAction action, RbacMatcher? rules)
    {
        Name = name;
        Action = action;
        Rules = rules;
    }

    public string Name { get; }

    public AuthorizationPolicyAction Action { get; }

    public RbacMatcher? Rules { get; }

    public bool Matches(in RbacRequest request) => Rules is not null && Rules.Matches(request);
}
