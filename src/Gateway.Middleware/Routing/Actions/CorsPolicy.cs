using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>A compiled CORS policy (Istio <c>CorsPolicy</c>).</summary>
internal sealed class CorsPolicy
{
    public CorsPolicy(CorsConfig config)
    {
        Config = config;
    }

    public CorsConfig Config { get; }
}
