using Gateway.Middleware.Authentication;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Declares JWT validation (Istio RequestAuthentication) in code.</summary>
public static class GatewayJwtBuilderExtensions
{
    /// <summary>
    /// Adds a JWT rule for <paramref name="issuer"/> (matched exactly against <c>iss</c>). A request without a
    /// token passes; a token of an unconfigured issuer, or an invalid one, is answered 401 with Envoy's text and
    /// <c>WWW-Authenticate</c>; a disallowed audience 403. Tokens are read from <c>Authorization: Bearer</c>
    /// then <c>?access_token=</c> unless the rule names other locations.
    /// </summary>
    /// <example><code>
    /// gateway.AddJwtRule("https://accounts.example.com", r => r
    ///     .JwksUri("https://accounts.example.com/.well-known/jwks.json")
    ///     .Audiences("bookstore")
    ///     .OutputClaimToHeader("x-user", "sub"));
    /// </code></example>
    public static IGatewayBuilder AddJwtRule(this IGatewayBuilder builder, string issuer, Action<GatewayJwtRuleBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(configure);
        var config = builder is GatewayBuilder gateway
            ? gateway.Config
            : throw new ArgumentException("The builder must come from AddGateway().", nameof(builder));

        var rule = new GatewayJwtRuleBuilder(issuer);
        configure(rule);
        var declarations = config.Sources.OfType<JwtRuleDeclarations>().FirstOrDefault();
        if (declarations is null)
        {
            declarations = new JwtRuleDeclarations();
            config.AddSource(declarations);
        }

        declarations.Add(rule.Build());
        AddJwtServices(builder.Services);
        return builder;
    }

    internal static void AddJwtServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new JwksProvider(sp.GetRequiredService<TimeProvider>(), sp.GetService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JwksWarmupService>(static sp =>
            new JwksWarmupService(sp.GetRequiredService<GatewayConfigProvider>(), sp.GetRequiredService<JwksProvider>(), sp.GetRequiredService<TimeProvider>())));
    }
}
