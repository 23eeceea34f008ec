using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>A compiled redirect (Istio <c>HTTPRedirect</c>).</summary>
internal sealed class RedirectAction
{
    public RedirectAction(RedirectConfig config)
    {
        Config = config;
    }

    public RedirectConfig Config { get; }
}
