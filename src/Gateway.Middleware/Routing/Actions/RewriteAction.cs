using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>A compiled rewrite (Istio <c>HTTPRewrite</c>, <c>uriRegexRewrite</c>; Gateway API <c>URLRewrite</c>).</summary>
internal sealed class RewriteAction
{
    public RewriteAction(RewriteConfig config)
    {
        Config = config;
    }

    public RewriteConfig Config { get; }
}
