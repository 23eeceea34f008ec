namespace Gateway.Middleware.Authorization;

/// <summary><c>ports</c> and <c>destination.port</c>: the local port the request arrived on.</summary>
internal sealed class RbacPortMatcher : RbacMatcher
{
    private readonly int[] _ports;

    public RbacPortMatcher(int[] ports)
    {
        _ports = ports;
    }

    public override bool Matches(in RbacRequest request)
    {
        var port = request.Context.Connection.LocalPort;
        foreach (var candidate in _ports)
        {
            if (candidate == port)
            {
                return true;
            }
        }

        return false;
    }
}
